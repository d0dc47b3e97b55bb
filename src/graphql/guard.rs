//! Limits on what one query may ask for (depth, complexity, aliases), and an `extensions.code` on
//! every error, so a frontend can tell its own mistakes (`BAD_USER_INPUT`, `LIMIT_EXCEEDED`) from
//! the server's (`INTERNAL`).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextRequest, NextValidation,
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
    /// A webhook's or a notice's signature is missing or wrong.
    pub(crate) const UNAUTHENTICATED: &str = "UNAUTHENTICATED";
    /// The thing asked for by name does not exist.
    pub(crate) const NOT_FOUND: &str = "NOT_FOUND";
    /// Reading it needs a preview token the request did not bring.
    pub(crate) const FORBIDDEN: &str = "FORBIDDEN";
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
    /// Parses the query itself instead of running async-graphql's parse step, whose recursion
    /// check walks every fragment spread with no memo (a 1 KB query whose fragments each spread
    /// the next twice kept it busy for 21 s). Every check here is linear in the query's size:
    /// the nesting of its text before parsing, then its nesting and its size with fragments
    /// spread, each fragment measured once.
    async fn parse_query(
        &self,
        _ctx: &ExtensionContext<'_>,
        query: &str,
        _variables: &Variables,
        _next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let written = text_nesting(query);
        if written > MAX_NESTING {
            return Err(limit_exceeded(format!(
                "the query nests brackets {written} levels deep, more than the limit of \
                 {MAX_NESTING}"
            )));
        }
        let document = async_graphql::parser::parse_query(query)
            .map_err(|e| with_code(ServerError::from(e), code::BAD_USER_INPUT))?;
        let Measure { fields, nesting } = measure(&document);
        if nesting > MAX_NESTING {
            return Err(limit_exceeded(format!(
                "the query nests selections {nesting} levels deep once its fragments are \
                 spread, more than the limit of {MAX_NESTING}"
            )));
        }
        // Validation visits every fragment spread in full, so a few nested fragments could keep
        // it busy for ages before the depth and complexity limits are checked: cap that first.
        if fields > self.limits.complexity {
            return Err(limit_exceeded(format!(
                "the query expands to {fields} fields once its fragments are spread, more than \
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

    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        // Errors without a code come from coercing arguments and variables ("Failed to parse
        // `Int`…") and from choosing the operation ("Unknown operation named…", "Operation name
        // required"): the request's fault. Resolvers and the checks above code their own.
        response.errors = std::mem::take(&mut response.errors)
            .into_iter()
            .map(|e| with_code(e, code::BAD_USER_INPUT))
            .collect();
        // A root field that fails in a serial (mutation) selection is both returned and
        // recorded by async-graphql: report it once.
        response.errors.dedup();
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
/// [`measure`] and the complexity limit cover what fragments multiply.
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

/// Whether `query`'s text nests brackets deeper than a query may: too deep to parse safely.
pub(crate) fn too_deep(query: &str) -> bool {
    text_nesting(query) > MAX_NESTING
}

/// How deeply a query may nest: selections (fields, fragments) once fragments are spread, and
/// brackets in its text. async-graphql's own recursion limit, which this check replaces.
const MAX_NESTING: usize = 32;

/// The size of a query with its fragments spread.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Measure {
    /// Fields of all operations together, saturating.
    fields: usize,
    /// The deepest nesting of selection sets in any operation: a field with a selection, an
    /// inline fragment and a fragment spread each add a level, as async-graphql counts them.
    nesting: usize,
}

/// [`Measure`]s every operation of `document` with each fragment measured once, so the work is
/// linear in the document however often fragments spread each other. A fragment cycle adds
/// nothing here (validation reports it).
fn measure(document: &ExecutableDocument) -> Measure {
    struct Sizer<'d> {
        document: &'d ExecutableDocument,
        sized: HashMap<&'d str, Measure>,
        open: HashSet<&'d str>,
    }
    impl<'d> Sizer<'d> {
        fn set(&mut self, set: &'d SelectionSet) -> Measure {
            set.items.iter().fold(Measure::default(), |total, item| {
                let (fields, nesting) = match &item.node {
                    Selection::Field(field) => {
                        let inner = self.set(&field.node.selection_set.node);
                        let levels = if field.node.selection_set.node.items.is_empty() {
                            0
                        } else {
                            1 + inner.nesting
                        };
                        (1usize.saturating_add(inner.fields), levels)
                    }
                    Selection::InlineFragment(fragment) => {
                        let inner = self.set(&fragment.node.selection_set.node);
                        (inner.fields, 1 + inner.nesting)
                    }
                    Selection::FragmentSpread(spread) => {
                        let inner = self.fragment(spread.node.fragment_name.node.as_str());
                        (inner.fields, 1 + inner.nesting)
                    }
                };
                Measure {
                    fields: total.fields.saturating_add(fields),
                    nesting: total.nesting.max(nesting),
                }
            })
        }

        fn fragment(&mut self, name: &'d str) -> Measure {
            if let Some(measure) = self.sized.get(name) {
                return *measure;
            }
            let Some((key, fragment)) = self.document.fragments.get_key_value(name) else {
                return Measure::default();
            };
            if !self.open.insert(key.as_str()) {
                return Measure::default();
            }
            let measure = self.set(&fragment.node.selection_set.node);
            self.open.remove(key.as_str());
            self.sized.insert(key.as_str(), measure);
            measure
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
        .fold(Measure::default(), |all, one| Measure {
            // Validation visits every operation, so they add up.
            fields: all.fields.saturating_add(one.fields),
            nesting: all.nesting.max(one.nesting),
        })
}

/// The deepest nesting of `{`, `(` and `[` in a query's text, outside strings and comments: a
/// bound checked before the recursive parser sees the text.
fn text_nesting(query: &str) -> usize {
    let bytes = query.as_bytes();
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'(' | b'[' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b')' | b']' => depth = depth.saturating_sub(1),
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i..].starts_with(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                i += 2;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            _ => {}
        }
        i += 1;
    }
    deepest
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
        assert_eq!(measure(&document).fields, 2 + 2 + 2);
        // Validation visits every operation of a document, so their fields add up.
        let document = async_graphql::parser::parse_query(
            "query A { ...F } query B { ...F } fragment F on Query { a: __typename b: __typename }",
        )
        .unwrap();
        assert_eq!(measure(&document).fields, 4);
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
        assert_eq!(
            measure(&document),
            Measure {
                fields: 1 << 40,
                nesting: 41
            }
        );
        let cycle = async_graphql::parser::parse_query(
            "{ ...A } fragment A on Query { __typename ...B } fragment B on Query { ...A }",
        )
        .unwrap();
        assert_eq!(measure(&cycle).fields, 1);
    }

    #[test]
    fn measures_nesting_as_async_graphql_counts_it() {
        let document = async_graphql::parser::parse_query(
            "{ a { b { c } } ... on Query { d } } fragment F on Query { x { y } }",
        )
        .unwrap();
        assert_eq!(measure(&document).nesting, 2);
        let document =
            async_graphql::parser::parse_query("{ ...F } fragment F on Query { x { y } }").unwrap();
        assert_eq!(measure(&document).nesting, 2);
    }

    #[test]
    fn measures_bracket_nesting_outside_strings_and_comments() {
        assert_eq!(text_nesting("{ a(b: [1, {c: 2}]) { d } }"), 4);
        assert_eq!(text_nesting("{ a(s: \"{{{{{{\") }"), 2);
        assert_eq!(text_nesting("{ a # {{{{{{\n }"), 1);
        assert_eq!(text_nesting("{ a(s: \"\"\"{{{ \\\"\"\" {{\"\"\") }"), 2);
        assert_eq!(text_nesting(&"{".repeat(100_000)), 100_000);
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
