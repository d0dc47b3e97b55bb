//! Hugo shortcodes: found in the Markdown (outside code), replaced by placeholders before
//! pulldown-cmark parses it, and rendered to HTML where the placeholders come out.
// TEMPORARY interface stand-in until the shortcodes slice lands (replaced whole at merge).

/// One shortcode as written.
#[derive(Debug, Clone)]
pub(crate) struct Shortcode {
    pub(crate) name: String,
    pub(crate) args: Args,
    pub(crate) inner: Option<String>,
    pub(crate) markdown: bool,
    pub(crate) line: usize,
}

#[derive(Debug, Clone)]
pub(crate) enum Args {
    Named(Vec<(String, String)>),
    Positional(Vec<String>),
}

impl Args {
    pub(crate) fn to_json(&self) -> serde_json::Value {
        serde_json::Value::Null
    }
}

pub(crate) struct Scanned {
    pub(crate) text: String,
    pub(crate) shortcodes: Vec<Shortcode>,
    pub(crate) problems: Vec<(usize, String)>,
}

pub(crate) fn scan(markdown: &str) -> Scanned {
    Scanned {
        text: markdown.to_owned(),
        shortcodes: Vec::new(),
        problems: Vec::new(),
    }
}

pub(crate) fn placeholders(
    _text: &str,
) -> impl Iterator<Item = (std::ops::Range<usize>, usize)> + '_ {
    std::iter::empty()
}

pub(crate) trait Host {
    fn markdown(&mut self, markdown: &str, line: usize) -> String;
    fn code(&mut self, code: &str, lang: Option<&str>, options: &str) -> String;
    fn param(&self, name: &str) -> Option<String>;
    fn reference(&mut self, target: &str, relative: bool, line: usize) -> String;
    fn file_url(&mut self, src: &str, line: usize) -> String;
}

pub(crate) fn render(_shortcode: &Shortcode, _block: bool, _host: &mut dyn Host) -> String {
    String::new()
}
