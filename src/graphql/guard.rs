//! Limits on what one query may ask for (depth, complexity, aliases), and an `extensions.code` on
//! every error, so a frontend can tell its own mistakes (`BAD_USER_INPUT`, `LIMIT_EXCEEDED`) from
//! the server's (`INTERNAL`).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextValidation,
};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{Response, ServerError, ServerResult, ValidationResult, Variables};

/// The codes errors carry in `extensions.code`.
pub(crate) mod code {
    /// The query, its variables or its arguments are wrong; the message says how.
    pub(crate) const BAD_USER_INPUT: &str = "BAD_USER_INPUT";
    /// A limit was passed; the message names it and its value.
    pub(crate) const LIMIT_EXCEEDED: &str = "LIMIT_EXCEEDED";
    /// The server failed; details are in its log, never in the answer.
    pub(crate) const INTERNAL: &str = "INTERNAL";
    /// Nothing is loaded yet.
    pub(crate) const NOT_READY: &str = "NOT_READY";
    /// The thing asked for by name does not exist.
    pub(crate) const NOT_FOUND: &str = "NOT_FOUND";
}

/// How big a query may be. The command line's `--max-depth`, `--max-complexity` and
/// `--max-aliases`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub depth: usize,
    pub complexity: usize,
    pub aliases: usize,
}

/// Checks [`Limits`] after parsing and validation, refuses introspection when it is off, and
/// gives every error a code.
#[derive(Clone, Copy)]
pub(crate) struct Guard {
    pub(crate) limits: Limits,
    pub(crate) introspection: bool,
}

impl ExtensionFactory for Guard {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(*self)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for Guard {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next
            .run(ctx, query, variables)
            .await
            .map_err(|e| with_code(e, code::BAD_USER_INPUT))?;
        // Validation visits every fragment spread in full, so a few nested fragments could keep
        // it busy for ages before the depth and complexity limits are checked: cap that first.
        let expanded = expanded_fields(&document);
        if expanded > self.limits.complexity {
            return Err(limit_exceeded(format!(
                "the query expands to {expanded} fields once its fragments are spread, more than \
                 the complexity limit of {} (--max-complexity)",
                self.limits.complexity
            )));
        }
        let (aliases, introspects) = survey(&document);
        if aliases > self.limits.aliases {
            return Err(limit_exceeded(format!(
                "the query uses {aliases} aliases, more than the limit of {} (--max-aliases)",
                self.limits.aliases
            )));
        }
        if introspects && !self.introspection {
            return Err(with_code(
                ServerError::new(
                    "introspection (`__schema`, `__type`) is turned off on this server (--disable-introspection)",
                    None,
                ),
                code::BAD_USER_INPUT,
            ));
        }
        Ok(document)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await.map_err(|errors| {
            errors
                .into_iter()
                .map(|e| with_code(e, code::BAD_USER_INPUT))
                .collect::<Vec<_>>()
        })?;
        if result.depth > self.limits.depth {
            return Err(vec![limit_exceeded(format!(
                "the query is {} fields deep, more than the limit of {} (--max-depth)",
                result.depth, self.limits.depth
            ))]);
        }
        if result.complexity > self.limits.complexity {
            return Err(vec![limit_exceeded(format!(
                "the query's complexity is {}, more than the limit of {} (--max-complexity): \
                 ask for fewer posts per page (`first`) or fewer fields",
                result.complexity, self.limits.complexity
            ))]);
        }
        Ok(result)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let mut response = next.run(ctx, operation_name).await;
        // Errors without a code come from coercing arguments and variables ("Failed to parse
        // `Int`…"): the request's fault. Resolvers code their own errors.
        response.errors = std::mem::take(&mut response.errors)
            .into_iter()
            .map(|e| with_code(e, code::BAD_USER_INPUT))
            .collect();
        response
    }
}

/// `error` with `extensions.code`, unless it has one already.
pub(crate) fn with_code(mut error: ServerError, code: &str) -> ServerError {
    let extensions = error.extensions.get_or_insert_with(Default::default);
    if extensions.get("code").is_none() {
        extensions.set("code", code);
    }
    error
}

fn limit_exceeded(message: String) -> ServerError {
    with_code(ServerError::new(message, None), code::LIMIT_EXCEEDED)
}

/// Aliases written in the document, in operations and fragment definitions alike, and whether it
/// asks for `__schema` or `__type`. Aliases are counted as written, not per use of a fragment:
/// [`expanded_fields`] and the complexity limit cover what fragments multiply.
fn survey(document: &ExecutableDocument) -> (usize, bool) {
    fn walk(set: &SelectionSet, introspects: &mut bool) -> usize {
        set.items
            .iter()
            .map(|item| match &item.node {
                Selection::Field(field) => {
                    let name = field.node.name.node.as_str();
                    *introspects |= name == "__schema" || name == "__type";
                    usize::from(field.node.alias.is_some())
                        + walk(&field.node.selection_set.node, introspects)
                }
                Selection::InlineFragment(fragment) => {
                    walk(&fragment.node.selection_set.node, introspects)
                }
                Selection::FragmentSpread(_) => 0,
            })
            .sum()
    }
    let mut introspects = false;
    let sets = document
        .operations
        .iter()
        .map(|(_, op)| &op.node.selection_set.node)
        .chain(
            document
                .fragments
                .values()
                .map(|f| &f.node.selection_set.node),
        );
    let aliases = sets.map(|set| walk(set, &mut introspects)).sum();
    (aliases, introspects)
}

/// Fields of the largest operation with every fragment spread expanded, saturating. A fragment
/// is sized once; a fragment cycle adds nothing here (validation reports it).
fn expanded_fields(document: &ExecutableDocument) -> usize {
    struct Sizer<'d> {
        document: &'d ExecutableDocument,
        sized: HashMap<&'d str, usize>,
        open: HashSet<&'d str>,
    }
    impl<'d> Sizer<'d> {
        fn set(&mut self, set: &'d SelectionSet) -> usize {
            set.items.iter().fold(0, |total, item| {
                let size = match &item.node {
                    Selection::Field(field) => {
                        1usize.saturating_add(self.set(&field.node.selection_set.node))
                    }
                    Selection::InlineFragment(fragment) => {
                        self.set(&fragment.node.selection_set.node)
                    }
                    Selection::FragmentSpread(spread) => {
                        self.fragment(spread.node.fragment_name.node.as_str())
                    }
                };
                total.saturating_add(size)
            })
        }

        fn fragment(&mut self, name: &'d str) -> usize {
            if let Some(size) = self.sized.get(name) {
                return *size;
            }
            let Some((key, fragment)) = self.document.fragments.get_key_value(name) else {
                return 0;
            };
            if !self.open.insert(key.as_str()) {
                return 0;
            }
            let size = self.set(&fragment.node.selection_set.node);
            self.open.remove(key.as_str());
            self.sized.insert(key.as_str(), size);
            size
        }
    }
    let mut sizer = Sizer {
        document,
        sized: HashMap::new(),
        open: HashSet::new(),
    };
    document
        .operations
        .iter()
        .map(|(_, op)| sizer.set(&op.node.selection_set.node))
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_aliases_and_introspection_in_operations_and_fragments() {
        let document = async_graphql::parser::parse_query(
            "query A { a: post(slug: \"x\") { t: title ...F } b: posts { nodes { slug } } }
             query B { ... on Query { c: revision { commit } } }
             fragment F on Post { d: slug e: date }",
        )
        .unwrap();
        assert_eq!(survey(&document), (6, false));
        let document = async_graphql::parser::parse_query(
            "{ __typename ...F } fragment F on Query { __type(name: \"Post\") { name } }",
        )
        .unwrap();
        assert_eq!(survey(&document), (0, true));
    }

    #[test]
    fn sizes_fragments_as_spread_without_spreading_them() {
        let document = async_graphql::parser::parse_query(
            "{ revision { commit } ...F } fragment F on Query { a: revision { commit } ...G ...G } \
             fragment G on Query { __typename }",
        )
        .unwrap();
        assert_eq!(expanded_fields(&document), 2 + 2 + 2);
        // Forty fragments, each spreading the next twice: 2^40 fields, sized in 40 steps.
        let mut text = String::from("{ ...F0 }");
        for i in 0..40 {
            text.push_str(&format!(
                " fragment F{i} on Query {{ ...F{} ...F{} }}",
                i + 1,
                i + 1
            ));
        }
        text.push_str(" fragment F40 on Query { __typename }");
        let document = async_graphql::parser::parse_query(&text).unwrap();
        assert_eq!(expanded_fields(&document), 1 << 40);
        let cycle = async_graphql::parser::parse_query(
            "{ ...A } fragment A on Query { __typename ...B } fragment B on Query { ...A }",
        )
        .unwrap();
        assert_eq!(expanded_fields(&cycle), 1);
    }

    #[test]
    fn keeps_a_code_that_is_already_there() {
        let error = with_code(ServerError::new("x", None), code::LIMIT_EXCEEDED);
        let error = with_code(error, code::BAD_USER_INPUT);
        let code = error.extensions.unwrap().get("code").cloned();
        assert_eq!(
            code,
            Some(async_graphql::Value::String("LIMIT_EXCEEDED".into()))
        );
    }
}
