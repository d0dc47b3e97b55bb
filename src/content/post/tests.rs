use super::*;

fn parse(path: &str, text: &str) -> (Post, Vec<FieldProblem>) {
    Post::parse(path, git2::Oid::ZERO_SHA1, text.as_bytes()).expect("parses")
}

#[test]
fn reads_known_fields_case_insensitively() {
    let file = "\u{feff}---\r\ntitle:        Week 50, 2017 - Some Conference\r\nslug:         week-50-2017\r\nauthor:       Jane Author   \r\nDate:   2017-12-11T21:45:37+11:00  \r\ncategories:   [\"Weekly Notes\"]\r\nkeywords:\r\n  - kubernetes\r\n  - cloudflare\r\nDescription:  \"One-line summary.\"\r\n---\r\nText[^1].\r\n";
    let (post, problems) = parse("content-repo/posts/w50.md", file);
    assert_eq!(problems, []);
    assert_eq!(post.title, "Week 50, 2017 - Some Conference");
    assert_eq!(post.slug, "week-50-2017");
    assert_eq!(post.authors, ["Jane Author"]);
    assert_eq!(post.date.unwrap().to_rfc3339(), "2017-12-11T21:45:37+11:00");
    assert_eq!(post.categories, ["Weekly Notes"]);
    assert_eq!(post.keywords, ["kubernetes", "cloudflare"]);
    assert_eq!(post.description.as_deref(), Some("One-line summary."));
    // The body is found again in the file's text, read the way rendering reads it.
    assert_eq!(post.body(&text(file.as_bytes()).unwrap()), "Text[^1].\n");
    assert!(post.front_matter.contains_key("Description"));
}

#[test]
fn derives_slugs_like_hugo() {
    assert_eq!(parse("p/a.md", "---\nslug: 1\n---\n").0.slug, "1");
    assert_eq!(
        parse("p/a.md", "---\ntitle: Week 48, 2015\n---\n").0.slug,
        "week-48-2015"
    );
    assert_eq!(parse("p/My File.md", "no front matter").0.slug, "my-file");
    assert_eq!(parse("p/bundle/index.md", "---\n---\n").0.slug, "bundle");
    assert_eq!(parse("p/bundle/index.en.md", "").0.slug, "bundle");
    assert_eq!(parse("p/a.md", "---\ntitle: 2024\n---\n").0.title, "2024");
}

#[test]
fn reads_author_shapes() {
    let authors = |fm: &str| parse("a.md", &format!("---\n{fm}\n---\n")).0.authors;
    assert_eq!(authors("author: Ann"), ["Ann"]);
    assert_eq!(authors("author: [Ann, Bob]"), ["Ann", "Bob"]);
    assert_eq!(authors("author:\n  name: Ann\n  email: a@b"), ["Ann"]);
    assert_eq!(authors("author:\n  - name: Ann\n  - Bob"), ["Ann", "Bob"]);
    assert_eq!(authors("params:\n  author:\n    name: Ann"), ["Ann"]);
}

#[test]
fn serves_a_post_without_its_bad_fields() {
    let (post, problems) = parse(
        "a.md",
        "---\ntitle: Kept\ndate: next tuesday\ncategories:\n  - name: x\ndraft: maybe\n---\nBody",
    );
    assert_eq!(post.title, "Kept");
    assert_eq!(post.date, None);
    assert!(post.categories.is_empty());
    let messages: Vec<_> = problems
        .iter()
        .map(|p| (p.line, p.message.as_str()))
        .collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert_eq!(messages[0].0, Some(3));
    assert!(
        messages[0]
            .1
            .starts_with("`date` is not a date (\"next tuesday\")"),
        "{messages:?}"
    );
    assert_eq!(
        messages[1],
        (Some(4), "`categories` must be a list of strings")
    );
    assert_eq!(messages[2].0, Some(6));
}

#[test]
fn reports_a_key_repeated_in_another_case() {
    let (post, problems) = parse(
        "a.md",
        "---\ndate: 2020-01-01\ntitle: T\nDate: 2021-01-01\n---\n",
    );
    assert_eq!(post.date.unwrap().to_rfc3339(), "2020-01-01T00:00:00Z");
    assert_eq!(
        problems,
        [FieldProblem {
            line: Some(4),
            message: "`Date` repeats `date` (keys are case-insensitive): the first (line 2) is used; remove one".into()
        }]
    );
}

#[test]
fn falls_back_to_other_hugo_date_keys() {
    let (post, _) = parse("a.md", "---\npublishDate: 2020-05-01\n---\n");
    assert_eq!(post.date.unwrap().to_rfc3339(), "2020-05-01T00:00:00Z");
    let (post, _) = parse("a.md", "---\ndate:\nlastmod: 2020-05-01\n---\n");
    assert_eq!(post.date.unwrap().to_rfc3339(), "2020-05-01T00:00:00Z");
    // A date that is set but unreadable is reported, not replaced by another field's date.
    let (post, problems) = parse("a.md", "---\ndate: soon\nlastmod: 2020-05-01\n---\n");
    assert_eq!(post.date, None);
    assert_eq!(problems.len(), 1);
}

#[test]
fn reports_terms_and_slugs_with_nothing_to_look_up() {
    let (post, problems) = parse(
        "a.md",
        "---\ntitle: T\nslug: \"!!!\"\ncategories: [Rust, \"🎉\"]\nparams:\n  author: [[x]]\n---\n",
    );
    assert_eq!(post.slug, "t");
    assert_eq!(post.categories, ["Rust"]);
    let messages: Vec<_> = problems
        .iter()
        .map(|p| (p.line, p.message.as_str()))
        .collect();
    assert_eq!(
        messages,
        [
            (
                Some(3),
                "`slug` \"!!!\" has no letters or digits: the title or file name is used instead"
            ),
            (
                Some(4),
                "`categories` entry \"🎉\" has no letters or digits and is ignored"
            ),
            (
                Some(5),
                "in `params`: `author` must be a name, a list of names, or a map with `name` (found a list)"
            ),
        ]
    );
}

#[test]
fn rejects_what_cannot_be_read() {
    let err = Post::parse("a.md", git2::Oid::ZERO_SHA1, b"---\ntitle: \xff\n---\n").unwrap_err();
    assert_eq!(err, PostError::NotUtf8 { offset: 11 });
    let err = Post::parse("a.md", git2::Oid::ZERO_SHA1, b"---\ntitle: [\n---\n").unwrap_err();
    assert!(err.to_string().starts_with("front matter line"), "{err}");
}
