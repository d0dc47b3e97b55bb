//! Names from a repository: which tree entry names are safe as parts of a served path, and how to
//! show any name, path or message from a repository in a log line or `quire check` output without
//! letting it forge a line or reorder the text around it.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Why `name` (one tree entry's name, as git stores it) cannot be part of a served path, or
/// `None` when it can. Git itself never writes such names, but a hand-made tree object can hold
/// them, and a path like `posts/../evil.md` must not reach a reader.
pub(crate) fn unsafe_name(name: &[u8]) -> Option<&'static str> {
    if name.is_empty() || name == b"." || name == b".." {
        return Some("is named `.`, `..` or nothing, which would step out of its folder");
    }
    if name.contains(&b'/') {
        return Some("has a `/` in its name, which git does not allow");
    }
    let Ok(name) = std::str::from_utf8(name) else {
        return Some("has a name that is not UTF-8");
    };
    if name.chars().any(needs_escape) {
        return Some("has a control character (such as a line break) in its name");
    }
    None
}

/// `text` with control characters (line breaks, tabs, escape sequences) and the Unicode marks
/// that reorder text written as escapes (`\n`, `\u{1b}`), for logs and terminal output. Borrows
/// `text` when it has none, which is the usual case.
pub(crate) fn escaped(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    push_escaped(&mut shown, text);
    Cow::Owned(shown)
}

/// Bytes of a name or path as [`escaped`] shows text, with bytes that are not UTF-8 as `\xNN`.
pub(crate) fn escaped_bytes(bytes: &[u8]) -> String {
    let mut shown = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        push_escaped(&mut shown, chunk.valid());
        for byte in chunk.invalid() {
            let _ = write!(shown, "\\x{byte:02x}");
        }
    }
    shown
}

fn push_escaped(shown: &mut String, text: &str) {
    for c in text.chars() {
        if needs_escape(c) {
            shown.extend(c.escape_debug());
        } else {
            shown.push(c);
        }
    }
}

/// Control characters, and the bidirectional marks that make text display in another order
/// than it is stored in.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_control_characters_and_bytes_that_are_not_utf8() {
        assert!(matches!(escaped("posts/a b.md"), Cow::Borrowed(_)));
        assert_eq!(
            escaped("a\nb.md\r\t\u{1b}[31m"),
            "a\\nb.md\\r\\t\\u{1b}[31m"
        );
        assert_eq!(escaped("x\u{202e}dm.exe"), "x\\u{202e}dm.exe");
        assert_eq!(escaped_bytes(b"caf\xe9\n.md"), "caf\\xe9\\n.md");
        assert_eq!(escaped_bytes("été.md".as_bytes()), "été.md");
    }

    #[test]
    fn refuses_names_that_are_not_one_safe_path_segment() {
        for name in [
            &b""[..],
            b".",
            b"..",
            b"a/b.md",
            b"a\nb.md",
            b"\xff.md",
            b"a\x7f.md",
        ] {
            assert!(unsafe_name(name).is_some(), "{}", escaped_bytes(name));
        }
        for name in [
            &b"a.md"[..],
            b"...md",
            b".hidden.md",
            "été.md".as_bytes(),
            b"a b.md",
        ] {
            assert_eq!(unsafe_name(name), None, "{}", escaped_bytes(name));
        }
    }
}
