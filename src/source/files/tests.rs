use git2::{Oid, Repository, Signature};

use super::*;
use crate::source::testing::{EXECUTABLE, FILE, LINK, SUBMODULE, commit};

/// A repository with one commit of `entries` (path, mode, bytes; a submodule's bytes are
/// ignored), and that commit.
fn repo_with(entries: &[(&str, u32, &[u8])]) -> (tempfile::TempDir, Repository, Oid) {
    let dir = tempfile::tempdir().unwrap();
    let repo = Repository::init(dir.path()).unwrap();
    let commit = commit(&repo, entries);
    (dir, repo, commit)
}

const ROOTS: Roots<'static> = Roots {
    content: "content",
    static_dir: Some("static"),
};

#[test]
fn refuses_paths_that_are_not_normalized_instead_of_repairing_them() {
    for path in [
        "",
        "/content/a.png",
        "content/a.png/",
        "content//a.png",
        "content/./a.png",
        "content/../Cargo.toml",
        "..",
        "content/..",
        "content\\a.png",
        "content/a\0.png",
        "content/a\n.png",
    ] {
        assert!(!is_normalized(path), "{path:?}");
    }
    for path in [
        "content/a.png",
        "a",
        "content/.well-known/x",
        "content/a..b.png",
    ] {
        assert!(is_normalized(path), "{path:?}");
    }
}

#[test]
fn allows_the_static_folder_whole_and_the_content_root_without_its_markdown() {
    for path in [
        "content/post/a.png",
        "static/img/x.png",
        "static/notes.md",
        "content/post/data.json",
    ] {
        assert!(ROOTS.allow(path), "{path}");
    }
    for path in [
        "content/post/index.md",
        "content/draft.MD",
        "content/x.markdown",
        "Cargo.toml",
        "contents/a.png",
        "content",
        "staticx/a.png",
        ".git/config",
    ] {
        assert!(!ROOTS.allow(path), "{path}");
    }
    let whole = Roots {
        content: "",
        static_dir: Some("static"),
    };
    assert!(whole.allow("Cargo.toml"));
    // The static folder inside the content root does not make posts public.
    assert!(!whole.allow("static/notes.md"));
    let no_static = Roots {
        content: "content",
        static_dir: None,
    };
    assert!(!no_static.allow("static/img/x.png"));
}

#[test]
fn finds_regular_files_only_and_never_follows_links_or_submodules() {
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\xff";
    let (_dir, repo, head) = repo_with(&[
        ("content/post/index.md", FILE, b"---\ntitle: T\n---\n"),
        ("content/post/photo.png", FILE, png),
        ("content/post/run.sh", EXECUTABLE, b"#!/bin/sh\n"),
        ("content/post/escape.png", LINK, b"../../Cargo.toml"),
        ("content/post/vendor", SUBMODULE, b""),
        ("static/img/x.png", FILE, png),
        ("Cargo.toml", FILE, b"[package]\n"),
    ]);
    let find = |path| find(&repo, head, ROOTS, path).unwrap();
    let photo = find("content/post/photo.png").unwrap();
    assert_eq!(photo.path, "content/post/photo.png");
    assert_eq!(photo.blob, Oid::hash_object(ObjectType::Blob, png).unwrap());
    assert_eq!(photo.size, png.len() as u64);
    assert_eq!(find("content/post/run.sh").unwrap().size, 10);
    assert!(find("static/img/x.png").is_some());
    for refused in [
        "content/post/escape.png",
        "content/post/vendor",
        "content/post/vendor/x",
        "content/post",
        "content/post/index.md",
        "content/post/missing.png",
        "content/post/photo.png/x",
        "content/post/../../Cargo.toml",
        "Cargo.toml",
    ] {
        assert_eq!(find(refused), None, "{refused}");
    }
    // A commit id that names nothing, or a blob, has no files.
    let unknown = Oid::from_str("00000000000000000000000000000000000000aa").unwrap();
    assert_eq!(
        super::find(&repo, unknown, ROOTS, "content/post/photo.png").unwrap(),
        None
    );
    assert_eq!(
        super::find(&repo, photo.blob, ROOTS, "content/post/photo.png").unwrap(),
        None
    );
}

#[test]
fn lists_a_leaf_bundles_files_without_markdown_or_nested_pages() {
    let (_dir, repo, head) = repo_with(&[
        ("content/trip/index.md", FILE, b"post"),
        ("content/trip/photo.png", FILE, b"png"),
        ("content/trip/notes.md", FILE, b"markdown"),
        ("content/trip/gallery/b.jpg", FILE, b"jpeg b"),
        ("content/trip/gallery/a.jpg", FILE, b"jpeg a"),
        ("content/trip/gallery/deep/c.gif", FILE, b"gif"),
        ("content/trip/other/index.md", FILE, b"another bundle"),
        ("content/trip/other/mine.png", FILE, b"not the trip's"),
        ("content/trip/section/_index.md", FILE, b"a section"),
        ("content/trip/section/s.png", FILE, b"not the trip's"),
        ("content/trip/link.png", LINK, b"/etc/passwd"),
        ("content/trip/sub", SUBMODULE, b""),
        ("content/trip/data.json", EXECUTABLE, b"{}"),
        ("content/plain.md", FILE, b"post"),
        ("content/plain.png", FILE, b"beside a plain post"),
        ("content/index.md", FILE, b"the root's index"),
    ]);
    let listed = |post| {
        bundle(&repo, head, "content", post)
            .unwrap()
            .into_iter()
            .map(|f| (f.path, f.size))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        listed("content/trip/index.md"),
        [
            ("content/trip/data.json".to_owned(), 2),
            ("content/trip/gallery/a.jpg".to_owned(), 6),
            ("content/trip/gallery/b.jpg".to_owned(), 6),
            ("content/trip/gallery/deep/c.gif".to_owned(), 3),
            ("content/trip/photo.png".to_owned(), 3),
        ]
    );
    assert_eq!(
        listed("content/trip/other/index.md"),
        [("content/trip/other/mine.png".to_owned(), 14)]
    );
    assert!(listed("content/plain.md").is_empty());
    assert!(listed("content/trip/notes.md").is_empty());
    // The content root's own index is not a bundle of the whole root.
    assert!(listed("content/index.md").is_empty());
    assert!(listed("content/gone/index.md").is_empty());
}

#[test]
fn the_static_folder_is_the_flag_or_static_beside_the_root_when_it_exists() {
    let (_dir, repo, head) = repo_with(&[
        ("site/content/a.md", FILE, b"post"),
        ("site/static/x.png", FILE, b"png"),
        ("content-repo/a.md", FILE, b"post"),
        ("static", FILE, b"a file, not a folder"),
    ]);
    let found = |root, flag| static_folder(&repo, head, root, flag).unwrap();
    assert_eq!(found("site/content", None).as_deref(), Some("site/static"));
    // `static` at the top is a file here.
    assert_eq!(found("content-repo", None), None);
    assert_eq!(found("", None), None);
    assert_eq!(
        found("content-repo", Some(" ./assets/ ")).as_deref(),
        Some("assets")
    );
    assert_eq!(found("content-repo", Some(".")).as_deref(), Some(""));

    let next = commit(
        &repo,
        &[("static", 0, b""), ("static/img/y.png", FILE, b"png")],
    );
    let found = |root| static_folder(&repo, next, root, None).unwrap();
    assert_eq!(found("content-repo").as_deref(), Some("static"));
    assert_eq!(found("").as_deref(), Some("static"));
    // The content root is never its own static folder.
    assert_eq!(found("static"), None);
}

#[test]
fn a_commit_reaches_itself_and_its_ancestors_only() {
    let (_dir, repo, first) = repo_with(&[("a.md", FILE, b"one")]);
    let second = commit(&repo, &[("a.md", FILE, b"two")]);
    // A commit on another branch, from the first.
    let tree = repo.find_commit(first).unwrap().tree().unwrap();
    let sig = Signature::now("Test", "test@example.com").unwrap();
    let parent = repo.find_commit(first).unwrap();
    let side = repo
        .commit(None, &sig, &sig, "side", &tree, &[&parent])
        .unwrap();
    assert!(reaches(&repo, second, second).unwrap());
    assert!(reaches(&repo, second, first).unwrap());
    assert!(!reaches(&repo, first, second).unwrap());
    assert!(!reaches(&repo, second, side).unwrap());
    let blob = repo.blob(b"one").unwrap();
    assert!(!reaches(&repo, second, blob).unwrap());
    assert!(!reaches(&repo, second, tree.id()).unwrap());
    let unknown = Oid::from_str("00000000000000000000000000000000000000aa").unwrap();
    assert!(!reaches(&repo, second, unknown).unwrap());
}
