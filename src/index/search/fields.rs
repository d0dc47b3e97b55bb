//! The index's schema: the fields searched, their boosts, and what is stored (the body and the
//! description, for snippets; nothing else).

use tantivy::TantivyDocument;
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
};

use super::SearchDoc;
use super::analysis::TOKENIZER;

/// The name of the key field, a fast field read while collecting.
pub(super) const KEY: &str = "key";

/// A field a query can name (`title:mesh`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SearchField {
    Title,
    Description,
    Keywords,
    Categories,
    Body,
}

impl SearchField {
    /// Every field, searched when a query names none.
    pub(super) const ALL: [SearchField; 5] = [
        SearchField::Title,
        SearchField::Description,
        SearchField::Keywords,
        SearchField::Categories,
        SearchField::Body,
    ];

    /// The name a query writes.
    pub(crate) fn name(self) -> &'static str {
        match self {
            SearchField::Title => "title",
            SearchField::Description => "description",
            SearchField::Keywords => "keywords",
            SearchField::Categories => "categories",
            SearchField::Body => "body",
        }
    }

    /// The field a query names (the singular `keyword` and `category` too), in any case.
    pub(super) fn named(name: &str) -> Option<SearchField> {
        let name = name.to_ascii_lowercase();
        let singular = match name.as_str() {
            "keyword" => SearchField::Keywords,
            "category" => SearchField::Categories,
            _ => return SearchField::ALL.into_iter().find(|f| f.name() == name),
        };
        Some(singular)
    }

    /// `title, description, keywords, categories and body`, for messages.
    pub(super) fn names() -> String {
        let names: Vec<_> = SearchField::ALL.iter().map(|f| f.name()).collect();
        format!(
            "{} and {}",
            names[..names.len() - 1].join(", "),
            names[names.len() - 1]
        )
    }

    /// How much a match here weighs against the same match in the body.
    pub(super) fn boost(self) -> f32 {
        match self {
            SearchField::Title => 3.0,
            SearchField::Keywords => 2.5,
            SearchField::Categories => 1.5,
            SearchField::Description => 1.5,
            SearchField::Body => 1.0,
        }
    }
}

/// The schema's fields.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fields {
    pub(super) key: Field,
    title: Field,
    pub(super) description: Field,
    keywords: Field,
    categories: Field,
    pub(super) body: Field,
}

impl Fields {
    /// The schema, and its fields.
    pub(super) fn schema() -> (Schema, Fields) {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let text = TextOptions::default().set_indexing_options(indexing);
        let stored = text.clone().set_stored();
        let mut builder = Schema::builder();
        let fields = Fields {
            key: builder.add_u64_field(KEY, NumericOptions::default().set_indexed().set_fast()),
            title: builder.add_text_field("title", text.clone()),
            description: builder.add_text_field("description", stored.clone()),
            keywords: builder.add_text_field("keywords", text.clone()),
            categories: builder.add_text_field("categories", text),
            body: builder.add_text_field("body", stored),
        };
        (builder.build(), fields)
    }

    pub(super) fn get(&self, field: SearchField) -> Field {
        match field {
            SearchField::Title => self.title,
            SearchField::Description => self.description,
            SearchField::Keywords => self.keywords,
            SearchField::Categories => self.categories,
            SearchField::Body => self.body,
        }
    }

    /// The tantivy document of `doc`.
    pub(super) fn document(&self, doc: &SearchDoc) -> TantivyDocument {
        let mut out = TantivyDocument::new();
        out.add_u64(self.key, doc.key);
        out.add_text(self.title, &doc.title);
        out.add_text(self.description, &doc.description);
        for keyword in &doc.keywords {
            out.add_text(self.keywords, keyword);
        }
        for category in &doc.categories {
            out.add_text(self.categories, category);
        }
        out.add_text(self.body, &doc.body);
        out
    }
}
