//! The pieces of Go's `path` and `net/url` that Hugo's URL code leans on, reproduced byte for
//! byte where the result shows in a URL: `path.Clean`/`path.Join`, `url.QueryUnescape` and
//! `url.Parse(..).String()` on a root-relative link. Hugo 0.111.3 was built with Go 1.19.6; each
//! function names the Go function it follows.

#[cfg(test)]
mod tests;

/// Go's `path.Clean`: one slash between names, no `.` names, `..` resolved.
pub(super) fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".to_owned();
    }
    let p = path.as_bytes();
    let rooted = p[0] == b'/';
    let n = p.len();
    let mut out: Vec<u8> = Vec::with_capacity(n);
    let (mut r, mut dotdot) = (0, 0);
    if rooted {
        out.push(b'/');
        (r, dotdot) = (1, 1);
    }
    while r < n {
        // An empty name or `.`: skipped.
        if p[r] == b'/' || (p[r] == b'.' && (r + 1 == n || p[r + 1] == b'/')) {
            r += 1;
        } else if p[r] == b'.' && p[r + 1] == b'.' && (r + 2 == n || p[r + 2] == b'/') {
            r += 2;
            if out.len() > dotdot {
                // Back to the separator before the last name, dropping both.
                let mut w = out.len() - 1;
                while w > dotdot && out[w] != b'/' {
                    w -= 1;
                }
                out.truncate(w);
            } else if !rooted {
                if !out.is_empty() {
                    out.push(b'/');
                }
                out.extend_from_slice(b"..");
                dotdot = out.len();
            }
        } else {
            if (rooted && out.len() != 1) || (!rooted && !out.is_empty()) {
                out.push(b'/');
            }
            while r < n && p[r] != b'/' {
                out.push(p[r]);
                r += 1;
            }
        }
    }
    if out.is_empty() {
        return ".".to_owned();
    }
    // Only whole UTF-8 sequences were copied: cuts happen at ASCII `/`.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Go's `path.Join`: the non-empty elements joined by `/` and cleaned; `""` when all are empty.
pub(super) fn join(elems: &[&str]) -> String {
    match elems.iter().position(|e| !e.is_empty()) {
        Some(first) => clean(&elems[first..].join("/")),
        None => String::new(),
    }
}

/// Hugo's `pjoin` (`resources/page/page_paths.go`): `path.Join`, keeping a trailing slash of the
/// last element.
pub(super) fn pjoin(elems: &[&str]) -> String {
    let had_slash = elems.last().is_some_and(|e| e.ends_with('/'));
    let mut joined = join(elems);
    if had_slash && !joined.ends_with('/') {
        joined.push('/');
    }
    joined
}

/// How `net/url` escapes a part of a URL (`encoding` in Go).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Path,
    Fragment,
    QueryComponent,
}

/// Go's `url.shouldEscape`.
fn should_escape(c: u8, mode: Mode) -> bool {
    if c.is_ascii_alphanumeric() {
        return false;
    }
    match c {
        b'-' | b'_' | b'.' | b'~' => false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => match mode {
            Mode::Path => c == b'?',
            Mode::QueryComponent => true,
            Mode::Fragment => false,
        },
        b'!' | b'(' | b')' | b'*' => mode != Mode::Fragment,
        _ => true,
    }
}

/// Go's `url.escape`.
fn escape(s: &[u8], mode: Mode) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for &c in s {
        if c == b' ' && mode == Mode::QueryComponent {
            out.push('+');
        } else if should_escape(c, mode) {
            out.push('%');
            out.push(char::from(HEX[usize::from(c >> 4)]));
            out.push(char::from(HEX[usize::from(c & 15)]));
        } else {
            out.push(char::from(c));
        }
    }
    out
}

/// Go's `url.unescape`: `None` for a `%` not followed by two hex digits.
fn unescape(s: &str, mode: Mode) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hi = hex_value(*b.get(i + 1)?)?;
                let lo = hex_value(*b.get(i + 2)?)?;
                out.push(hi << 4 | lo);
                i += 3;
            }
            b'+' if mode == Mode::QueryComponent => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Some(out)
}

fn hex_value(c: u8) -> Option<u8> {
    char::from(c)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// Go's `url.validEncoded`.
fn valid_encoded(s: &str, mode: Mode) -> bool {
    s.bytes().all(|c| {
        matches!(
            c,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'@'
                | b'['
                | b']'
                | b'%'
        ) || !should_escape(c, mode)
    })
}

/// Go's `url.QueryUnescape`: `%XX` decoded and `+` read as a space; `None` for a bad escape.
/// The bytes may not be UTF-8 (`%FF`); they are read lossily, and Hugo's sanitizing drops what
/// Go reads as `U+FFFD` anyway.
pub(super) fn query_unescape(s: &str) -> Option<String> {
    unescape(s, Mode::QueryComponent).map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// `url.Parse(link).String()` for a link that starts with a single `/` (Hugo's `URLEscape`): the
/// path percent-encoded unless already validly encoded, a query kept as written, the fragment
/// escaped as a fragment. `None` where Go fails to parse (a bad `%` escape): Hugo panics there.
pub(super) fn url_escape(link: &str) -> Option<String> {
    let (rest, fragment) = match link.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (link, None),
    };
    let (path, query) = if rest.ends_with('?') && rest.matches('?').count() == 1 {
        (&rest[..rest.len() - 1], Some(""))
    } else {
        match rest.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (rest, None),
        }
    };
    let decoded = unescape(path, Mode::Path)?;
    let mut out = if valid_encoded(path, Mode::Path) {
        path.to_owned()
    } else {
        escape(&decoded, Mode::Path)
    };
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    if let Some(fragment) = fragment {
        let decoded = unescape(fragment, Mode::Fragment)?;
        if !decoded.is_empty() {
            out.push('#');
            if valid_encoded(fragment, Mode::Fragment) {
                out.push_str(fragment);
            } else {
                out.push_str(&escape(&decoded, Mode::Fragment));
            }
        }
    }
    Some(out)
}
