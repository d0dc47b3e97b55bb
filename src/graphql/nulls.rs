//! Null propagation, as the GraphQL specification requires it ("Handling Field Errors"): a
//! field that fails is `null`, and when its type is non-null the `null` moves up to the nearest
//! nullable parent, `data` itself at the top. async-graphql 7 leaves a failed field out of its
//! object instead, so a post whose `html` could not be rendered answered `{"slug": "b"}`: a
//! shape the schema says cannot happen. This extension puts the answer right after execution.
//!
//! The query's text is kept when it is parsed and read again only for an answer with a field
//! error, so an answer without one pays a copy of the text and nothing more.

use std::sync::{Arc, Mutex};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery,
};
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, Selection, SelectionSet,
};
use async_graphql::registry::Registry;
use async_graphql::{Name, PathSegment, Response, ServerResult, Value, Variables};

/// Nulls the nearest nullable parent of every failed field.
pub(crate) struct PropagateNulls;

impl ExtensionFactory for PropagateNulls {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Propagation::default())
    }
}

/// One request's state: the text of its query.
#[derive(Default)]
struct Propagation {
    query: Mutex<Option<String>>,
}

#[async_graphql::async_trait::async_trait]
impl Extension for Propagation {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        if let Ok(mut kept) = self.query.lock() {
            *kept = Some(query.to_owned());
        }
        next.run(ctx, query, variables).await
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let mut response = next.run(ctx, operation_name).await;
        if response.errors.iter().all(|e| e.path.is_empty()) {
            return response;
        }
        let query = self.query.lock().ok().and_then(|mut kept| kept.take());
        let Some(document) = query.and_then(|q| async_graphql::parser::parse_query(q).ok()) else {
            return response;
        };
        let Some(operation) = operation(&document, operation_name) else {
            return response;
        };
        let registry = &ctx.schema_env.registry;
        for error in &response.errors {
            if !error.path.is_empty() {
                let types = path_types(registry, &document, operation, &error.path);
                null_nearest_nullable(&mut response.data, &error.path, &types);
            }
        }
        response
    }
}

/// The operation that ran.
fn operation<'d>(
    document: &'d ExecutableDocument,
    name: Option<&str>,
) -> Option<&'d OperationDefinition> {
    match (&document.operations, name) {
        (DocumentOperations::Single(op), _) => Some(&op.node),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name).map(|op| &op.node),
        (DocumentOperations::Multiple(ops), None) => ops.values().next().map(|op| &op.node),
    }
}

/// The type (as the registry writes it: `[Post!]!`) at each step of `path`, as far as it can be
/// told; a step it cannot tell ends the list.
fn path_types(
    registry: &Registry,
    document: &ExecutableDocument,
    operation: &OperationDefinition,
    path: &[PathSegment],
) -> Vec<String> {
    let mut types: Vec<String> = Vec::with_capacity(path.len());
    let mut sets = vec![&operation.selection_set.node];
    let mut parent = registry.query_type.clone();
    for segment in path {
        let ty = match segment {
            PathSegment::Field(key) => {
                let Some((name, inner)) = field_named(document, &sets, key) else {
                    break;
                };
                let Some(field) = registry
                    .types
                    .get(named_type(&parent))
                    .and_then(|t| t.field_by_name(&name))
                else {
                    break;
                };
                sets = inner;
                field.ty.clone()
            }
            PathSegment::Index(_) => {
                let Some(list) = types.last() else { break };
                let Some(item) = list
                    .trim_end_matches('!')
                    .strip_prefix('[')
                    .and_then(|t: &str| t.strip_suffix(']'))
                else {
                    break;
                };
                item.to_owned()
            }
        };
        parent = ty.clone();
        types.push(ty);
    }
    types
}

/// The type name inside `ty`'s list and non-null wrappers.
fn named_type(ty: &str) -> &str {
    ty.trim_matches(|c| c == '[' || c == ']' || c == '!')
}

/// The field answered under the response key `key` in `sets` (fragments included): its name and
/// the selection sets below it, merged.
fn field_named<'d>(
    document: &'d ExecutableDocument,
    sets: &[&'d SelectionSet],
    key: &str,
) -> Option<(Name, Vec<&'d SelectionSet>)> {
    fn visit<'d>(
        document: &'d ExecutableDocument,
        set: &'d SelectionSet,
        key: &str,
        found: &mut Option<(Name, Vec<&'d SelectionSet>)>,
        depth: usize,
    ) {
        // Fragment cycles do not pass validation; the bound keeps this safe regardless.
        if depth > 64 {
            return;
        }
        for item in &set.items {
            let inner = match &item.node {
                Selection::Field(field) => {
                    if field.node.response_key().node.as_str() == key {
                        let (_, inner) =
                            found.get_or_insert_with(|| (field.node.name.node.clone(), vec![]));
                        inner.push(&field.node.selection_set.node);
                    }
                    continue;
                }
                Selection::InlineFragment(fragment) => Some(&fragment.node.selection_set.node),
                Selection::FragmentSpread(spread) => document
                    .fragments
                    .get(&spread.node.fragment_name.node)
                    .map(|fragment| &fragment.node.selection_set.node),
            };
            if let Some(inner) = inner {
                visit(document, inner, key, found, depth + 1);
            }
        }
    }
    let mut found = None;
    for set in sets {
        visit(document, set, key, &mut found, 0);
    }
    found
}

/// Sets to `null` the failed field at `path`, or, when its type is non-null, its nearest
/// nullable parent (`data` itself at the top). `types[i]` is the type at `path[..=i]`; a step
/// whose type is unknown is taken as nullable.
fn null_nearest_nullable(data: &mut Value, path: &[PathSegment], types: &[String]) {
    let nullable = |i: usize| types.get(i).is_none_or(|ty| !ty.ends_with('!'));
    let Some(depth) = (0..path.len()).rev().find(|&i| nullable(i)) else {
        *data = Value::Null;
        return;
    };
    let (last, parents) = path[..=depth].split_last().expect("depth < path.len()");
    let mut slot = data;
    for segment in parents {
        let next = match (segment, slot) {
            (PathSegment::Field(key), Value::Object(map)) => map.get_mut(key.as_str()),
            (PathSegment::Index(i), Value::List(items)) => items.get_mut(*i),
            // Nulled already by another error.
            _ => None,
        };
        let Some(next) = next else { return };
        slot = next;
    }
    match (last, slot) {
        (PathSegment::Field(key), Value::Object(map)) => {
            map.insert(Name::new(key), Value::Null);
        }
        (PathSegment::Index(i), Value::List(items)) => {
            if let Some(item) = items.get_mut(*i) {
                *item = Value::Null;
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> Vec<PathSegment> {
        text.split('.')
            .map(|s| match s.parse() {
                Ok(i) => PathSegment::Index(i),
                Err(_) => PathSegment::Field(s.to_owned()),
            })
            .collect()
    }

    fn value(json: serde_json::Value) -> Value {
        Value::from_json(json).unwrap()
    }

    #[test]
    fn nulls_the_nearest_nullable_parent_of_a_failed_non_null_field() {
        let mut data = value(serde_json::json!({"b": {"slug": "b"}, "a": {"slug": "a"}}));
        let types = ["Post".to_owned(), "String!".to_owned()];
        null_nearest_nullable(&mut data, &path("b.html"), &types);
        assert_eq!(
            data.into_json().unwrap(),
            serde_json::json!({"b": null, "a": {"slug": "a"}})
        );
    }

    #[test]
    fn a_failed_nullable_field_is_null_and_a_non_null_chain_nulls_data() {
        let mut data = value(serde_json::json!({"p": {"slug": "b"}}));
        null_nearest_nullable(
            &mut data,
            &path("p.description"),
            &["Post".into(), "String".into()],
        );
        assert_eq!(
            data.into_json().unwrap(),
            serde_json::json!({"p": {"slug": "b", "description": null}})
        );
        let mut data = value(serde_json::json!({"posts": {"nodes": [{"slug": "a"}]}}));
        let types = [
            "PostConnection!".into(),
            "[Post!]!".into(),
            "Post!".into(),
            "String!".into(),
        ];
        null_nearest_nullable(&mut data, &path("posts.nodes.0.html"), &types);
        assert_eq!(data, Value::Null);
    }
}
