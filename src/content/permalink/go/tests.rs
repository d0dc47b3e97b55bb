use super::*;

#[test]
fn cleans_paths_like_go() {
    // Go's own `path.Clean` test cases.
    for (input, want) in [
        ("", "."),
        ("abc", "abc"),
        ("abc/def", "abc/def"),
        (".", "."),
        ("..", ".."),
        ("../..", "../.."),
        ("../../abc", "../../abc"),
        ("/abc", "/abc"),
        ("/", "/"),
        ("abc/", "abc"),
        ("/abc/", "/abc"),
        ("abc//def//ghi", "abc/def/ghi"),
        ("//abc//", "/abc"),
        ("abc/./def", "abc/def"),
        ("/./abc/def", "/abc/def"),
        ("abc/.", "abc"),
        ("abc/def/ghi/../jkl", "abc/def/jkl"),
        ("abc/def/../ghi/../jkl", "abc/jkl"),
        ("abc/def/..", "abc"),
        ("abc/def/../..", "."),
        ("/abc/def/../..", "/"),
        ("abc/def/../../..", ".."),
        ("/abc/def/../../..", "/"),
        ("abc/def/../../../ghi/jkl/../../../mno", "../../mno"),
        ("abc//./../def", "def"),
        ("abc/../../././../def", "../../def"),
    ] {
        assert_eq!(clean(input), want, "{input:?}");
    }
}

#[test]
fn joins_like_go_and_keeps_a_trailing_slash_like_hugo() {
    assert_eq!(join(&["", ""]), "");
    assert_eq!(join(&["", "b"]), "b");
    assert_eq!(join(&["a", ""]), "a");
    assert_eq!(join(&["posts", "2020/", "x"]), "posts/2020/x");
    assert_eq!(pjoin(&["/", "posts/"]), "/posts/");
    assert_eq!(pjoin(&["/", ""]), "/");
    assert_eq!(pjoin(&["fr", "//"]), "fr/");
    assert_eq!(pjoin(&["/posts/", "../escape"]), "/escape");
}

#[test]
fn escapes_links_like_go_url_parse_and_string() {
    for (link, want) in [
        ("/posts/café/", Some("/posts/caf%C3%A9/")),
        ("/a b/", Some("/a%20b/")),
        // Already encoded: kept, unless non-ASCII forces a re-encoding of the decoded path.
        ("/a%20b/%C3%A9/", Some("/a%20b/%C3%A9/")),
        ("/x%41é/", Some("/xA%C3%A9/")),
        ("/c++/", Some("/c++/")),
        ("/a/café?x=1#frag/", Some("/a/caf%C3%A9?x=1#frag/")),
        ("/c#a#b/", Some("/c#a%23b/")),
        ("/x#", Some("/x")),
        ("/a%zz/", None),
        ("/a/#%zz", None),
    ] {
        assert_eq!(url_escape(link).as_deref(), want, "{link}");
    }
}

#[test]
fn unescapes_query_strings_like_go() {
    assert_eq!(query_unescape("a+b%41").as_deref(), Some("a bA"));
    assert_eq!(query_unescape("%C3%A9").as_deref(), Some("é"));
    assert_eq!(query_unescape("%FFx").as_deref(), Some("\u{FFFD}x"));
    assert_eq!(query_unescape("100%"), None);
    assert_eq!(query_unescape("%zz"), None);
}
