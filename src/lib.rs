//! Quire serves Markdown posts straight out of a git repository over GraphQL.
mod content;
mod index;
pub mod source;
