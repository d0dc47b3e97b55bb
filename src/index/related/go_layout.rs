//! Go's reference-time layouts (`"2006"`, `"200601"`, `"Jan 2006"`), which Hugo's date indices
//! use to turn a date into a term. A layout is read once into chunks, then formats every post's
//! date, the way Go's `time.Format` reads it: a token where Go sees one, every other byte as
//! written.

use chrono::{DateTime, Datelike, FixedOffset, Timelike};

/// One piece of a layout.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Chunk {
    Literal(String),
    /// `2006`
    LongYear,
    /// `06`
    Year,
    /// `January`
    LongMonth,
    /// `Jan`
    Month,
    /// `1`
    NumMonth,
    /// `01`
    ZeroMonth,
    /// `Monday`
    LongWeekDay,
    /// `Mon`
    WeekDay,
    /// `2`
    Day,
    /// `_2`
    UnderDay,
    /// `02`
    ZeroDay,
    /// `__2`
    UnderYearDay,
    /// `002`
    ZeroYearDay,
    /// `15`
    Hour,
    /// `3`
    Hour12,
    /// `03`
    ZeroHour12,
    /// `4`
    Minute,
    /// `04`
    ZeroMinute,
    /// `5`
    Second,
    /// `05`
    ZeroSecond,
    /// `PM` (`upper`) or `pm`.
    Pm {
        upper: bool,
    },
    /// `MST`: `UTC` at offset zero (Hugo reads dates in UTC), else the offset as `+hhmm` (Go
    /// has no name for a zone that is only an offset).
    ZoneName,
    /// `-0700`, `-07:00`, `-07`, `-070000`, `-07:00:00`, and the same with `Z` for `Z` at UTC.
    Offset {
        z_at_utc: bool,
        colons: bool,
        minutes: bool,
        seconds: bool,
    },
    /// `.000` (`zeros`, fixed width) or `.999` (trailing zeros dropped), or with a comma.
    Fraction {
        digits: usize,
        zeros: bool,
        separator: char,
    },
}

/// A Go layout read into chunks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct GoLayout(Vec<Chunk>);

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

impl GoLayout {
    /// Reads `layout` as Go's `time.Format` does (its `nextStdChunk`).
    pub(super) fn parse(layout: &str) -> GoLayout {
        let mut chunks = Vec::new();
        let mut rest = layout;
        while let Some((prefix, chunk, suffix)) = next_chunk(rest) {
            if !prefix.is_empty() {
                chunks.push(Chunk::Literal(prefix.to_owned()));
            }
            chunks.push(chunk);
            rest = suffix;
        }
        if !rest.is_empty() {
            chunks.push(Chunk::Literal(rest.to_owned()));
        }
        GoLayout(chunks)
    }

    /// Appends `date`, in the offset it was written with, to `out`.
    pub(super) fn format(&self, date: DateTime<FixedOffset>, out: &mut String) {
        for chunk in &self.0 {
            format_chunk(chunk, date, out);
        }
    }
}

fn format_chunk(chunk: &Chunk, date: DateTime<FixedOffset>, out: &mut String) {
    match *chunk {
        Chunk::Literal(ref text) => out.push_str(text),
        Chunk::LongYear => {
            if date.year() < 0 {
                out.push('-');
            }
            number(out, date.year().unsigned_abs(), 4, '0');
        }
        Chunk::Year => number(out, date.year().rem_euclid(100).unsigned_abs(), 2, '0'),
        Chunk::LongMonth => out.push_str(MONTHS[date.month0() as usize]),
        Chunk::Month => out.push_str(&MONTHS[date.month0() as usize][..3]),
        Chunk::NumMonth => number(out, date.month(), 1, '0'),
        Chunk::ZeroMonth => number(out, date.month(), 2, '0'),
        Chunk::LongWeekDay => out.push_str(DAYS[date.weekday().num_days_from_monday() as usize]),
        Chunk::WeekDay => {
            out.push_str(&DAYS[date.weekday().num_days_from_monday() as usize][..3]);
        }
        Chunk::Day => number(out, date.day(), 1, '0'),
        Chunk::UnderDay => number(out, date.day(), 2, ' '),
        Chunk::ZeroDay => number(out, date.day(), 2, '0'),
        Chunk::UnderYearDay => number(out, date.ordinal(), 3, ' '),
        Chunk::ZeroYearDay => number(out, date.ordinal(), 3, '0'),
        Chunk::Hour => number(out, date.hour(), 2, '0'),
        Chunk::Hour12 => number(out, date.hour12().1, 1, '0'),
        Chunk::ZeroHour12 => number(out, date.hour12().1, 2, '0'),
        Chunk::Minute => number(out, date.minute(), 1, '0'),
        Chunk::ZeroMinute => number(out, date.minute(), 2, '0'),
        Chunk::Second => number(out, date.second(), 1, '0'),
        Chunk::ZeroSecond => number(out, date.second(), 2, '0'),
        Chunk::Pm { upper } => out.push_str(match (date.hour12().0, upper) {
            (true, true) => "PM",
            (false, true) => "AM",
            (true, false) => "pm",
            (false, false) => "am",
        }),
        Chunk::ZoneName if date.offset().local_minus_utc() == 0 => out.push_str("UTC"),
        Chunk::ZoneName => offset_as(out, date, false, true, false),
        Chunk::Offset { z_at_utc: true, .. } if date.offset().local_minus_utc() == 0 => {
            out.push('Z')
        }
        Chunk::Offset {
            colons,
            minutes,
            seconds,
            ..
        } => offset_as(out, date, colons, minutes, seconds),
        Chunk::Fraction {
            digits,
            zeros,
            separator,
        } => {
            let mut fraction = [0_u8; 9];
            let mut nanos = date.nanosecond() % 1_000_000_000;
            for digit in fraction.iter_mut().rev() {
                *digit = b'0' + (nanos % 10) as u8;
                nanos /= 10;
            }
            let mut fraction = &fraction[..digits.min(9)];
            if !zeros {
                while let [rest @ .., b'0'] = fraction {
                    fraction = rest;
                }
            }
            if !fraction.is_empty() {
                out.push(separator);
                out.extend(fraction.iter().map(|&d| char::from(d)));
            }
        }
    }
}

/// `±hh`, then `mm` and `ss` when asked, with colons between when asked.
fn offset_as(
    out: &mut String,
    date: DateTime<FixedOffset>,
    colons: bool,
    minutes: bool,
    seconds: bool,
) {
    let offset = date.offset().local_minus_utc();
    out.push(if offset < 0 { '-' } else { '+' });
    let offset = offset.unsigned_abs();
    number(out, offset / 3600, 2, '0');
    for (wanted, part) in [(minutes, offset / 60 % 60), (seconds, offset % 60)] {
        if wanted {
            if colons {
                out.push(':');
            }
            number(out, part, 2, '0');
        }
    }
}

/// `n` in decimal, padded on the left with `pad` to `width` digits.
fn number(out: &mut String, n: u32, width: usize, pad: char) {
    let mut digits = [0_u8; 10];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let len = digits.len() - at;
    out.extend(std::iter::repeat_n(pad, width.saturating_sub(len)));
    out.extend(digits[at..].iter().map(|&d| char::from(d)));
}

/// Go's `nextStdChunk`: the text before the first token, the token, and the text after it.
fn next_chunk(layout: &str) -> Option<(&str, Chunk, &str)> {
    let b = layout.as_bytes();
    let at = |i: usize, s: &str| b.get(i..i + s.len()) == Some(s.as_bytes());
    for i in 0..b.len() {
        let found = match b[i] {
            b'J' if at(i, "January") => Some((Chunk::LongMonth, 7)),
            b'J' if at(i, "Jan") && !starts_lower(&b[i + 3..]) => Some((Chunk::Month, 3)),
            b'M' if at(i, "Monday") => Some((Chunk::LongWeekDay, 6)),
            b'M' if at(i, "Mon") && !starts_lower(&b[i + 3..]) => Some((Chunk::WeekDay, 3)),
            b'M' if at(i, "MST") => Some((Chunk::ZoneName, 3)),
            b'0' if matches!(b.get(i + 1), Some(b'1'..=b'6')) => {
                let chunk = match b[i + 1] {
                    b'1' => Chunk::ZeroMonth,
                    b'2' => Chunk::ZeroDay,
                    b'3' => Chunk::ZeroHour12,
                    b'4' => Chunk::ZeroMinute,
                    b'5' => Chunk::ZeroSecond,
                    _ => Chunk::Year,
                };
                Some((chunk, 2))
            }
            b'0' if at(i + 1, "02") => Some((Chunk::ZeroYearDay, 3)),
            b'1' if at(i + 1, "5") => Some((Chunk::Hour, 2)),
            b'1' => Some((Chunk::NumMonth, 1)),
            b'2' if at(i, "2006") => Some((Chunk::LongYear, 4)),
            b'2' => Some((Chunk::Day, 1)),
            // `_2006` is a literal `_` and the year.
            b'_' if at(i + 1, "2006") => {
                return Some((&layout[..=i], Chunk::LongYear, &layout[i + 5..]));
            }
            b'_' if at(i + 1, "2") => Some((Chunk::UnderDay, 2)),
            b'_' if at(i + 1, "_2") => Some((Chunk::UnderYearDay, 3)),
            b'3' => Some((Chunk::Hour12, 1)),
            b'4' => Some((Chunk::Minute, 1)),
            b'5' => Some((Chunk::Second, 1)),
            b'P' if at(i + 1, "M") => Some((Chunk::Pm { upper: true }, 2)),
            b'p' if at(i + 1, "m") => Some((Chunk::Pm { upper: false }, 2)),
            c @ (b'-' | b'Z') => offset(&b[i..], c == b'Z'),
            c @ (b'.' | b',') => fraction(&b[i..], c as char),
            _ => None,
        };
        if let Some((chunk, width)) = found {
            return Some((&layout[..i], chunk, &layout[i + width..]));
        }
    }
    None
}

fn starts_lower(rest: &[u8]) -> bool {
    rest.first().is_some_and(u8::is_ascii_lowercase)
}

/// `-070000`, `-07:00:00`, `-0700`, `-07:00`, `-07` (longest first), or with `Z` for `-`.
fn offset(b: &[u8], z: bool) -> Option<(Chunk, usize)> {
    let rest = &b[1..];
    let chunk = |colons, minutes, seconds| Chunk::Offset {
        z_at_utc: z,
        colons,
        minutes,
        seconds,
    };
    if rest.starts_with(b"07:00:00") {
        Some((chunk(true, true, true), 9))
    } else if rest.starts_with(b"070000") {
        Some((chunk(false, true, true), 7))
    } else if rest.starts_with(b"07:00") {
        Some((chunk(true, true, false), 6))
    } else if rest.starts_with(b"0700") {
        Some((chunk(false, true, false), 5))
    } else if rest.starts_with(b"07") {
        Some((chunk(false, false, false), 3))
    } else {
        None
    }
}

/// `.000` or `.999` (any count of one digit) when no other digit follows.
fn fraction(b: &[u8], separator: char) -> Option<(Chunk, usize)> {
    let digit = *b.get(1).filter(|d| matches!(d, b'0' | b'9'))?;
    let digits = b[1..].iter().take_while(|&&d| d == digit).count();
    if b.get(1 + digits).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    Some((
        Chunk::Fraction {
            digits,
            zeros: digit == b'0',
            separator,
        },
        1 + digits,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format(layout: &str, date: &str) -> String {
        let date = DateTime::parse_from_rfc3339(date).unwrap();
        let mut out = String::new();
        GoLayout::parse(layout).format(date, &mut out);
        out
    }

    #[test]
    fn formats_the_layouts_hugo_documents() {
        assert_eq!(format("2006", "2017-12-11T21:45:37+11:00"), "2017");
        assert_eq!(format("200601", "2017-12-11T21:45:37+11:00"), "201712");
        assert_eq!(format("2006-01-02", "2017-03-04T00:00:00Z"), "2017-03-04");
    }

    #[test]
    fn uses_the_written_offset_not_utc() {
        // 2018-01-01 00:30 in Sydney is still 2017 in UTC: the written year counts, as in Go.
        assert_eq!(format("2006", "2018-01-01T00:30:00+11:00"), "2018");
        assert_eq!(format("200601", "2018-01-01T00:30:00+11:00"), "201801");
    }

    #[test]
    fn reads_every_token_as_go_does() {
        let d = "2009-02-03T16:05:07.120+05:30";
        assert_eq!(
            format("Monday Mon January Jan 1 01 2 _2 02 __2 002 06", d),
            "Tuesday Tue February Feb 2 02 3  3 03  34 034 09"
        );
        assert_eq!(
            format("15 3 03 4 04 5 05 PM pm", d),
            "16 4 04 5 05 7 07 PM pm"
        );
        assert_eq!(
            format("-0700|-07:00|-07|-070000|-07:00:00|Z07:00|MST", d),
            "+0530|+05:30|+05|+053000|+05:30:00|+05:30|+0530"
        );
        assert_eq!(format("Z07:00 MST", "2009-02-03T16:05:07Z"), "Z UTC");
        assert_eq!(format(".000 .999 ,00 .9", d), ".120 .12 ,12 .1");
    }

    #[test]
    fn keeps_what_is_not_a_token() {
        // `Janet` and `Monk` are words, not months and days; `_2006` is `_` and the year;
        // `.0001` is no fraction (a digit follows the zeros), so Go reads its `01` as the month.
        assert_eq!(
            format("Janet Monk _2006 .0001 x", "2009-02-03T16:05:07Z"),
            "Janet Monk _2009 .0002 x"
        );
        assert_eq!(format("week", "2009-02-03T16:05:07Z"), "week");
    }
}
