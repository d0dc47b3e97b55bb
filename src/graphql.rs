//! GraphQL: the schema and its resolvers. Every resolver reads the one `Arc<Snapshot>` the request
//! was started with, so an answer never mixes two commits. Nothing here knows about axum or HTTP.

mod post;
mod query;

pub use query::Query;

use async_graphql::{EmptyMutation, EmptySubscription, ErrorExtensions as _, Schema};

use crate::cache::RenderCache;

/// The schema Quire serves.
pub type QuireSchema = Schema<Query, EmptyMutation, EmptySubscription>;

/// Builds the schema; requests must carry an `Arc<Snapshot>` as request data.
pub fn build_schema(renders: RenderCache) -> QuireSchema {
    Schema::build(Query, EmptyMutation, EmptySubscription)
        .data(renders)
        .finish()
}

/// The schema in SDL, as `quire export-schema` prints it and `schema.graphql` holds it.
pub fn schema_sdl() -> String {
    build_schema(RenderCache::new(0)).sdl()
}

/// An error the client can fix, with `extensions.code = "BAD_USER_INPUT"`.
fn bad_input(message: impl Into<String>) -> async_graphql::Error {
    async_graphql::Error::new(message).extend_with(|_, e| e.set("code", "BAD_USER_INPUT"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn schema_file_matches_the_served_schema() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql");
        let file = std::fs::read_to_string(path).expect("schema.graphql at the repository root");
        assert!(
            file == super::schema_sdl(),
            "schema.graphql is out of date: run `cargo run -- export-schema > schema.graphql`"
        );
    }
}
