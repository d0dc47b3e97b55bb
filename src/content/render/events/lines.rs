//! Lines of the post file for offsets in a text whose shortcodes were replaced by placeholders.

use crate::content::render::shortcodes::{self, Shortcode};

/// Maps an offset in the scanned text to a line of the post file. A shortcode spanning lines is
/// one placeholder in the scanned text; lines after it are counted from the line it starts on.
pub(super) struct Lines {
    /// Offsets where lines start.
    starts: Vec<usize>,
    /// (offset of a placeholder, lines to add from there on).
    shifts: Vec<(usize, isize)>,
    first_line: usize,
}

impl Lines {
    pub(super) fn new(text: &str, shortcodes: &[Shortcode], first_line: usize) -> Lines {
        let starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let mut lines = Lines {
            starts,
            shifts: Vec::new(),
            first_line,
        };
        for (range, index) in shortcodes::placeholders(text) {
            if let Some(shortcode) = shortcodes.get(index) {
                let here = lines.raw(range.start) as isize;
                let extra = shortcode.line as isize - here;
                let end_extra = extra
                    + shortcode
                        .inner
                        .as_deref()
                        .map_or(0, |inner| inner.matches('\n').count())
                        as isize;
                lines.shifts.push((range.end, end_extra));
            }
        }
        lines
    }

    /// 1-based line within the text, before shifts.
    fn raw(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    pub(super) fn line(&self, offset: usize) -> usize {
        let shift = self
            .shifts
            .iter()
            .rev()
            .find(|(at, _)| *at <= offset)
            .map_or(0, |(_, s)| *s);
        (self.raw(offset) as isize + shift).max(1) as usize + self.first_line - 1
    }
}
