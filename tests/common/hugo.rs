//! Hugo as the reference: builds a site with the `hugo` binary and lists every page it published,
//! with the URL it published the page at.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::skip;

/// The Hugo binary: `$HUGO`, else `/usr/bin/hugo` (where `scripts/setup-tests.sh` installs it).
pub fn hugo_binary() -> PathBuf {
    std::env::var_os("HUGO").map_or_else(|| PathBuf::from("/usr/bin/hugo"), PathBuf::from)
}

/// Whether Hugo runs here. When it does not, `test` is skipped with one line on stderr and this
/// returns `false`; with `CI=true` it fails instead (see [`skip`]).
pub fn hugo_ready(test: &str) -> bool {
    if hugo_version().is_some() {
        return true;
    }
    let hugo = hugo_binary();
    skip(
        test,
        &format!(
            "run scripts/setup-tests.sh (Debian's hugo) to compare with Hugo (missing: {})",
            hugo.display()
        ),
    )
}

/// The first line of `hugo version` (`hugo v0.111.3+extended linux/amd64 …`), or `None` when
/// Hugo does not run.
pub fn hugo_version() -> Option<String> {
    let out = std::process::Command::new(hugo_binary())
        .arg("version")
        .output()
        .ok()
        .filter(|out| out.status.success())?;
    let text = String::from_utf8_lossy(&out.stdout);
    Some(text.lines().next().unwrap_or_default().trim().to_owned())
}

/// A page Hugo published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HugoPage {
    /// From the site's root folder: `content/posts/a.md`. A section without an `_index` file
    /// has its folder (`content/posts`), the folder of its language's content holding it.
    pub path: String,
    /// Hugo's `.RelPermalink`: the URL from the host, percent-encoded, with the path of `baseURL`.
    pub url: String,
    /// Hugo's `.Kind`: `page`, `section` or `home`.
    pub kind: String,
    /// The page's language code.
    pub lang: String,
}

/// The template Hugo renders once per language, at each home page: every page of every
/// language (`.Site.AllPages` holds them all in Hugo 0.111) with its file, URL and kind.
/// `.File.Path` is the file's path under its language's content folder, which tells where that
/// folder is.
const LISTING: &str = r#"{{- $pages := slice -}}
{{- range .Site.AllPages -}}
  {{- $file := "" -}}{{- $rel := "" -}}
  {{- with .File -}}{{- $file = .Filename -}}{{- $rel = .Path -}}{{- end -}}
  {{- $pages = $pages | append (dict "file" $file "rel" $rel "url" .RelPermalink "kind" .Kind "lang" .Lang "sections" .SectionsEntries) -}}
{{- end -}}
{{- dict "base" .Site.BaseURL "pages" $pages | jsonify -}}
"#;

/// Settings added to the site's own for the build: the listing as an output format of the home
/// pages, kinds that are not pages turned off (and with them warnings about missing layouts).
const OVERLAY: &str = r#"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[outputFormats.pagelist]
mediaType = "application/json"
baseName = "pagelist"
isPlainText = true
notAlternative = true
[outputs]
home = ["HTML", "pagelist"]
"#;

/// The name of the listing Hugo writes at each home page.
const LISTING_FILE: &str = "pagelist.json";

/// Site configuration files Hugo looks for at the site's root, in its order.
const CONFIG_FILES: [&str; 8] = [
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
];

/// Builds the Hugo site in `site` (a folder with a configuration file at its root, or
/// `config/_default/`) into a temporary folder, with layouts of the test's own (the site's
/// `layouts/` are not read; every shortcode its content uses renders as a stub), and returns
/// every page Hugo published, by path. Panics with Hugo's output when the build fails, and when
/// a page's URL is not where Hugo wrote its file.
pub fn hugo_pages(site: &Path) -> BTreeMap<String, HugoPage> {
    let site = site.canonicalize().expect("site folder");
    let work = tempfile::tempdir().expect("temp dir");
    let layouts = work.path().join("layouts");
    write(&layouts.join("index.pagelist.json"), LISTING);
    for page in ["index.html", "_default/single.html", "_default/list.html"] {
        write(&layouts.join(page), "{{ .Title }}\n");
    }
    for (name, paired) in shortcodes(&site) {
        // A shortcode whose template reads `.Inner` must be closed; one that does not, must not.
        let body = if paired { "{{ .Inner }}" } else { "stub" };
        write(&layouts.join(format!("shortcodes/{name}.html")), body);
    }
    let overlay = work.path().join("overlay.toml");
    let layout_dir = toml_string(layouts.to_str().expect("UTF-8 temp path"));
    write(&overlay, &format!("layoutDir = {layout_dir}\n{OVERLAY}"));
    // `--config` replaces the file Hugo would look for, so the site's is named after the overlay
    // (the earlier file wins a conflict); `config/_default/` is read either way.
    let mut configs = vec![overlay];
    configs.extend(
        CONFIG_FILES
            .iter()
            .map(|name| site.join(name))
            .find(|path| path.is_file()),
    );
    let configs: Vec<_> = configs.iter().map(|p| p.to_str().unwrap()).collect();
    let out = work.path().join("public");
    let mut hugo = std::process::Command::new(hugo_binary());
    hugo.arg("--source")
        .arg(&site)
        .arg("--destination")
        .arg(&out)
        .arg("--cacheDir")
        .arg(work.path().join("cache"))
        .args(["--config", &configs.join(","), "--noBuildLock", "--quiet"]);
    // Hugo reads `HUGO_*` variables as settings: none of the developer's may leak in.
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("HUGO_") {
            hugo.env_remove(name);
        }
    }
    let output = hugo.output().expect("run hugo");
    assert!(
        output.status.success(),
        "hugo failed to build {}:\n{}{}",
        site.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let (base, pages) = read_listings(&site, &out);
    for page in pages.values() {
        let file = published_file(&out, &base, &page.url);
        assert!(
            file.is_file(),
            "Hugo lists {} at {}, but wrote no {}",
            page.path,
            page.url,
            file.display()
        );
    }
    pages
}

/// Every `pagelist.json` Hugo wrote (one per language, the same pages), as pages by path, and
/// the path of the site's `baseURL` (`/`, or `/blog/`).
fn read_listings(site: &Path, out: &Path) -> (String, BTreeMap<String, HugoPage>) {
    let mut listings = Vec::new();
    find_files(out, LISTING_FILE, &mut listings);
    assert!(!listings.is_empty(), "Hugo wrote no {LISTING_FILE}");
    let mut pages = BTreeMap::new();
    let mut base = None;
    for listing in listings {
        let text = std::fs::read_to_string(&listing).expect("read the listing");
        let listing: Value = serde_json::from_str(&text)
            .unwrap_or_else(|err| panic!("Hugo's listing is not JSON ({err}): {text}"));
        base = listing["base"].as_str().map(str::to_owned);
        let rows = listing["pages"].as_array().expect("pages");
        let roots = content_roots(site, rows);
        for row in rows {
            let Some(page) = hugo_page(site, &roots, row) else {
                continue;
            };
            match pages.get(&page.path) {
                Some(seen) => assert_eq!(seen, &page, "two pages of Hugo's with one path"),
                None => {
                    pages.insert(page.path.clone(), page);
                }
            }
        }
    }
    let base = base.expect("Hugo's listing has a baseURL");
    let base = url::Url::parse(&base).unwrap_or_else(|err| panic!("baseURL {base}: {err}"));
    (base.path().to_owned(), pages)
}

/// The page of a row of the listing, or `None` for a page Hugo did not write (`render: never`
/// leaves it listed without a URL) or of another kind than `page`, `section` and `home`.
fn hugo_page(site: &Path, roots: &[(String, String, String)], row: &Value) -> Option<HugoPage> {
    let text = |key: &str| row[key].as_str().unwrap_or_default().to_owned();
    let (url, kind, lang) = (text("url"), text("kind"), text("lang"));
    if url.is_empty() || !["page", "section", "home"].contains(&kind.as_str()) {
        return None;
    }
    let file = text("file");
    let path = if file.is_empty() {
        // A section (or home page) without an `_index` file: its folder, in the content folder
        // of a page of its language found in it.
        let dir = section_entries(row).join("/");
        let inside = |page_dir: &str| {
            dir.is_empty() || page_dir == dir || page_dir.starts_with(&format!("{dir}/"))
        };
        let root = roots
            .iter()
            .find(|(root_lang, _, page_dir)| *root_lang == lang && inside(page_dir))
            .map(|(_, root, _)| root.clone())
            .unwrap_or_else(|| panic!("no page of Hugo's in the {lang} section {dir}"));
        format!("{root}{dir}").trim_end_matches('/').to_owned()
    } else {
        relative(site, &file)
    };
    Some(HugoPage {
        path,
        url,
        kind,
        lang,
    })
}

/// For each page with a file: its language, the content folder holding it (from the site's
/// root, with a final `/`) and its folder within it.
fn content_roots(site: &Path, rows: &[Value]) -> Vec<(String, String, String)> {
    let mut roots: Vec<_> = rows
        .iter()
        .filter_map(|row| {
            let file = row["file"].as_str().filter(|file| !file.is_empty())?;
            let file = relative(site, file);
            let rel = row["rel"].as_str()?;
            let root = file.strip_suffix(rel)?.to_owned();
            let dir = rel.rsplit_once('/').map_or("", |(dir, _)| dir).to_owned();
            Some((row["lang"].as_str()?.to_owned(), root, dir))
        })
        .collect();
    roots.sort();
    roots
}

/// A section's `.SectionsEntries`, without the empty entry Hugo 0.111 ends some with.
fn section_entries(row: &Value) -> Vec<&str> {
    row["sections"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|entry| !entry.is_empty())
        .collect()
}

/// `file` (absolute, from Hugo) from the site's root, with `/` between folders.
fn relative(site: &Path, file: &str) -> String {
    Path::new(file)
        .strip_prefix(site)
        .unwrap_or_else(|_| panic!("Hugo's file {file} is outside {}", site.display()))
        .to_string_lossy()
        .replace('\\', "/")
}

/// The file Hugo wrote for a page at `url`: `url` without `base` (the path of `baseURL`, which
/// is the output folder), decoded, with `index.html` for a folder.
fn published_file(out: &Path, base: &str, url: &str) -> PathBuf {
    let under = url
        .strip_prefix(base)
        .unwrap_or_else(|| panic!("Hugo's URL {url} is not under its baseURL's path {base}"));
    let mut file = percent_encoding::percent_decode_str(under)
        .decode_utf8()
        .expect("a UTF-8 URL")
        .into_owned();
    if file.is_empty() || file.ends_with('/') {
        file.push_str("index.html");
    }
    out.join(file)
}

/// Every shortcode name used in the Markdown under `site`, and whether it is ever closed
/// (`{{< /name >}}`). Escaped ones (`{{</* name */>}}`) are not shortcodes.
fn shortcodes(site: &Path) -> BTreeMap<String, bool> {
    let mut files = Vec::new();
    find_files(site, ".md", &mut files);
    let mut names = BTreeMap::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for (start, _) in text.match_indices("{{") {
            let rest = &text[start + 2..];
            let Some(rest) = rest.strip_prefix('<').or_else(|| rest.strip_prefix('%')) else {
                continue;
            };
            let rest = rest.trim_start();
            let (closing, rest) = match rest.strip_prefix('/') {
                Some(rest) if rest.starts_with('*') => continue,
                Some(rest) => (true, rest.trim_start()),
                None => (false, rest),
            };
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            if !name.is_empty() {
                *names.entry(name).or_insert(false) |= closing;
            }
        }
    }
    names
}

/// Collects the files under `dir` whose names end with `suffix`.
fn find_files(dir: &Path, suffix: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read a folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            find_files(&path, suffix, out);
        } else if path.to_string_lossy().ends_with(suffix) {
            out.push(path);
        }
    }
}

/// `text` as a TOML basic string.
fn toml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).expect("create a folder");
    std::fs::write(path, text).expect("write a file");
}
