//! Go's `time.Time.Format` (Go 1.19, which built Hugo 0.111.3): Hugo's date layouts, in
//! permalink date tokens (any token word that formatting changes: `:2006`, `:Jan`, `:Monday`)
//! and in the `pattern` of a related-content date index.

use chrono::{DateTime, Datelike, FixedOffset, Timelike};

/// The fields of a `time.Time` that formatting reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GoTime {
    pub(crate) year: i32,
    /// 1 to 12.
    pub(crate) month: u32,
    pub(crate) day: u32,
    /// 0 = Sunday, as Go's `time.Weekday`.
    pub(crate) weekday: u32,
    /// 1 to 366.
    pub(crate) yearday: u32,
    pub(crate) hour: u32,
    pub(crate) minute: u32,
    pub(crate) second: u32,
    pub(crate) nanosecond: u32,
    /// Seconds east of UTC.
    pub(crate) offset: i32,
}

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
const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

impl GoTime {
    /// Go's zero `time.Time` (`0001-01-01 00:00:00 UTC`, a Monday): what a page without a date has.
    pub(crate) const ZERO: GoTime = GoTime {
        year: 1,
        month: 1,
        day: 1,
        weekday: 1,
        yearday: 1,
        hour: 0,
        minute: 0,
        second: 0,
        nanosecond: 0,
        offset: 0,
    };

    /// The time Hugo formats a token with to decide whether it is a date layout
    /// (`referenceTime` in `resources/page/permalinks.go`): 2019-11-09 23:01:42.000000001 UTC.
    pub(crate) const REFERENCE: GoTime = GoTime {
        year: 2019,
        month: 11,
        day: 9,
        weekday: 6,
        yearday: 313,
        hour: 23,
        minute: 1,
        second: 42,
        nanosecond: 1,
        offset: 0,
    };

    /// The local fields of `moment` in the offset it carries.
    pub(crate) fn new(moment: DateTime<FixedOffset>) -> GoTime {
        GoTime {
            year: moment.year(),
            month: moment.month(),
            day: moment.day(),
            weekday: moment.weekday().num_days_from_sunday(),
            yearday: moment.ordinal(),
            hour: moment.hour(),
            minute: moment.minute(),
            second: moment.second(),
            nanosecond: moment.nanosecond() % 1_000_000_000,
            offset: moment.offset().local_minus_utc(),
        }
    }

    /// `time.Month.String()`.
    pub(crate) fn month_name(&self) -> &'static str {
        MONTHS[(self.month as usize + 11) % 12]
    }

    /// `time.Weekday.String()`.
    pub(crate) fn weekday_name(&self) -> &'static str {
        WEEKDAYS[self.weekday as usize % 7]
    }

    /// `Time.Format(layout)`.
    ///
    /// A zero offset is named `UTC` by `MST`: Hugo reads zone-less dates as UTC and the build
    /// machine's zone for `+00:00` was UTC. Other offsets have no name, so `MST` prints `-0500`.
    pub(crate) fn format(&self, layout: &str) -> String {
        let mut out = String::with_capacity(layout.len() + 10);
        let mut rest = layout;
        while !rest.is_empty() {
            let Some((prefix, chunk, suffix)) = next_chunk(rest) else {
                out.push_str(rest);
                break;
            };
            out.push_str(prefix);
            self.append(&mut out, chunk);
            rest = suffix;
        }
        out
    }

    fn append(&self, out: &mut String, chunk: Chunk) {
        use std::fmt::Write as _;
        let hour12 = match self.hour % 12 {
            0 => 12,
            h => h,
        };
        // Writing to a String cannot fail.
        let _ = match chunk {
            Chunk::LongMonth => write!(out, "{}", self.month_name()),
            Chunk::Month => write!(out, "{}", &self.month_name()[..3]),
            Chunk::NumMonth => write!(out, "{}", self.month),
            Chunk::ZeroMonth => write!(out, "{:02}", self.month),
            Chunk::LongWeekDay => write!(out, "{}", self.weekday_name()),
            Chunk::WeekDay => write!(out, "{}", &self.weekday_name()[..3]),
            Chunk::Day => write!(out, "{}", self.day),
            Chunk::UnderDay => write!(out, "{:>2}", self.day),
            Chunk::ZeroDay => write!(out, "{:02}", self.day),
            Chunk::UnderYearDay => write!(out, "{:>3}", self.yearday),
            Chunk::ZeroYearDay => write!(out, "{:03}", self.yearday),
            Chunk::Hour => write!(out, "{:02}", self.hour),
            Chunk::Hour12 => write!(out, "{hour12}"),
            Chunk::ZeroHour12 => write!(out, "{hour12:02}"),
            Chunk::Minute => write!(out, "{}", self.minute),
            Chunk::ZeroMinute => write!(out, "{:02}", self.minute),
            Chunk::Second => write!(out, "{}", self.second),
            Chunk::ZeroSecond => write!(out, "{:02}", self.second),
            Chunk::LongYear => write!(out, "{}", go_int(i64::from(self.year), 4)),
            Chunk::Year => write!(out, "{:02}", self.year.unsigned_abs() % 100),
            Chunk::PM => out.write_str(if self.hour >= 12 { "PM" } else { "AM" }),
            Chunk::Pm => out.write_str(if self.hour >= 12 { "pm" } else { "am" }),
            Chunk::Tz if self.offset == 0 => out.write_str("UTC"),
            Chunk::Tz => self.write_offset(out, Zone::HHMM),
            Chunk::Iso(_) if self.offset == 0 => out.write_str("Z"),
            Chunk::Iso(zone) | Chunk::Num(zone) => self.write_offset(out, zone),
            Chunk::Frac {
                nines,
                digits,
                comma,
            } => {
                self.write_fraction(out, nines, digits, comma);
                Ok(())
            }
        };
    }

    /// `±hh`, then `mm` and `ss` as `zone` asks, with colons or without.
    fn write_offset(&self, out: &mut String, zone: Zone) -> std::fmt::Result {
        use std::fmt::Write as _;
        let sign = if self.offset < 0 { '-' } else { '+' };
        let abs = self.offset.unsigned_abs();
        let colon = if zone.colons { ":" } else { "" };
        write!(out, "{sign}{:02}", abs / 3600)?;
        if zone.minutes {
            write!(out, "{colon}{:02}", abs / 60 % 60)?;
        }
        if zone.seconds {
            write!(out, "{colon}{:02}", abs % 60)?;
        }
        Ok(())
    }

    /// Go's `appendNano`: `digits` places of the second's fraction; with `nines`, trailing zeros
    /// (and then a bare separator) are dropped.
    fn write_fraction(&self, out: &mut String, nines: bool, digits: usize, comma: bool) {
        if nines && (digits == 0 || self.nanosecond == 0) {
            return;
        }
        let all = format!("{:09}", self.nanosecond);
        let mut fraction = &all[..digits.min(9)];
        if nines {
            fraction = fraction.trim_end_matches('0');
            if fraction.is_empty() {
                return;
            }
        }
        out.push(if comma { ',' } else { '.' });
        out.push_str(fraction);
    }
}

/// Go's `appendInt(x, width)`: zero-padded to `width` digits, sign first.
fn go_int(x: i64, width: usize) -> String {
    let digits = format!("{:0width$}", x.unsigned_abs());
    if x < 0 { format!("-{digits}") } else { digits }
}

/// A layout element of Go's `time` package. Hugo's tokens are words, so only some can appear
/// (`2006`, `Jan`, `Z07`); the others can only come from inside a token's `[...]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Chunk {
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekDay,
    WeekDay,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    LongYear,
    Year,
    PM,
    Pm,
    Tz,
    /// `Z0700` and friends: `Z` at UTC.
    Iso(Zone),
    /// `-0700` and friends: always numeric.
    Num(Zone),
    /// `.000`, `,999`: fractional seconds.
    Frac {
        nines: bool,
        digits: usize,
        comma: bool,
    },
}

/// Which parts of a numeric zone offset a layout element prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Zone {
    minutes: bool,
    seconds: bool,
    colons: bool,
}

impl Zone {
    const HH: Zone = Zone::new(false, false, false);
    const HHMM: Zone = Zone::new(true, false, false);
    const HHMMSS: Zone = Zone::new(true, true, false);
    const HH_MM: Zone = Zone::new(true, false, true);
    const HH_MM_SS: Zone = Zone::new(true, true, true);

    const fn new(minutes: bool, seconds: bool, colons: bool) -> Zone {
        Zone {
            minutes,
            seconds,
            colons,
        }
    }
}

/// Go's `nextStdChunk` (Go 1.19): the text before the first layout element, the element, the
/// text after.
fn next_chunk(layout: &str) -> Option<(&str, Chunk, &str)> {
    let b = layout.as_bytes();
    let at = |i: usize, s: &str| b.get(i..i + s.len()) == Some(s.as_bytes());
    let lower_at = |i: usize| b.get(i).is_some_and(u8::is_ascii_lowercase);
    for i in 0..b.len() {
        let found = match b[i] {
            b'J' if at(i, "January") => Some((Chunk::LongMonth, 7)),
            b'J' if at(i, "Jan") && !lower_at(i + 3) => Some((Chunk::Month, 3)),
            b'M' if at(i, "Monday") => Some((Chunk::LongWeekDay, 6)),
            b'M' if at(i, "Mon") && !lower_at(i + 3) => Some((Chunk::WeekDay, 3)),
            b'M' if at(i, "MST") => Some((Chunk::Tz, 3)),
            b'0' if matches!(b.get(i + 1), Some(b'1'..=b'6')) => Some((
                [
                    Chunk::ZeroMonth,
                    Chunk::ZeroDay,
                    Chunk::ZeroHour12,
                    Chunk::ZeroMinute,
                    Chunk::ZeroSecond,
                    Chunk::Year,
                ][usize::from(b[i + 1] - b'1')],
                2,
            )),
            b'0' if at(i, "002") => Some((Chunk::ZeroYearDay, 3)),
            b'1' if at(i, "15") => Some((Chunk::Hour, 2)),
            b'1' => Some((Chunk::NumMonth, 1)),
            b'2' if at(i, "2006") => Some((Chunk::LongYear, 4)),
            b'2' => Some((Chunk::Day, 1)),
            // `_2006` is a literal `_` followed by the year.
            b'_' if at(i, "_2006") => {
                return Some((&layout[..=i], Chunk::LongYear, &layout[i + 5..]));
            }
            b'_' if at(i, "_2") => Some((Chunk::UnderDay, 2)),
            b'_' if at(i, "__2") => Some((Chunk::UnderYearDay, 3)),
            b'3' => Some((Chunk::Hour12, 1)),
            b'4' => Some((Chunk::Minute, 1)),
            b'5' => Some((Chunk::Second, 1)),
            b'P' if at(i, "PM") => Some((Chunk::PM, 2)),
            b'p' if at(i, "pm") => Some((Chunk::Pm, 2)),
            b'-' | b'Z' => zone_chunk(&layout[i + 1..]).map(|(zone, len)| {
                let chunk = if b[i] == b'Z' {
                    Chunk::Iso(zone)
                } else {
                    Chunk::Num(zone)
                };
                (chunk, len + 1)
            }),
            b'.' | b',' if matches!(b.get(i + 1), Some(b'0' | b'9')) => {
                let digit = b[i + 1];
                let run = b[i + 1..].iter().take_while(|&&c| c == digit).count();
                (!b.get(i + 1 + run).is_some_and(u8::is_ascii_digit)).then_some((
                    Chunk::Frac {
                        nines: digit == b'9',
                        digits: run,
                        comma: b[i] == b',',
                    },
                    1 + run,
                ))
            }
            _ => None,
        };
        if let Some((chunk, len)) = found {
            return Some((&layout[..i], chunk, &layout[i + len..]));
        }
    }
    None
}

/// The zone element after a `-` or `Z`, longest first as Go tries them, and its length.
fn zone_chunk(rest: &str) -> Option<(Zone, usize)> {
    [
        ("070000", Zone::HHMMSS),
        ("07:00:00", Zone::HH_MM_SS),
        ("0700", Zone::HHMM),
        ("07:00", Zone::HH_MM),
        ("07", Zone::HH),
    ]
    .into_iter()
    .find(|(form, _)| rest.starts_with(form))
    .map(|(form, zone)| (zone, form.len()))
}

#[cfg(test)]
mod tests {
    use super::GoTime;

    #[test]
    fn formats_go_layouts() {
        let r = GoTime::REFERENCE;
        assert_eq!(r.format("2006-01-02 15:04:05"), "2019-11-09 23:01:42");
        assert_eq!(
            r.format("06 1 2 _2 __2 002 3 03 4 5"),
            "19 11 9  9 313 313 11 11 1 42"
        );
        assert_eq!(
            r.format("Jan January Mon Monday JanX Janet Month MST"),
            "Nov November Sat Saturday NovX Janet Month UTC"
        );
        assert_eq!(r.format("_2006 x1y Z07 Z0700 Z070000"), "_2019 x11y Z Z Z");
        // 23:01 is PM: these words look the same after formatting, so Hugo rejects them as tokens.
        assert_eq!(r.format("PM"), "PM");
        assert_eq!(r.format("pm"), "pm");
        assert_eq!(
            GoTime::ZERO.format("2006 06 01 02 Monday MST 002"),
            "0001 01 01 01 Monday UTC 001"
        );
        let offset = GoTime {
            offset: -(5 * 3600 + 30 * 60 + 15),
            ..GoTime::ZERO
        };
        assert_eq!(
            offset.format("MST Z07 Z0700 Z070000"),
            "-0530 -05 -0530 -053015"
        );
        assert_eq!(
            offset.format("Z07:00 -07:00:00 -07"),
            "-05:30 -05:30:15 -05"
        );
        let fraction = GoTime {
            nanosecond: 120_000_000,
            ..GoTime::ZERO
        };
        assert_eq!(
            fraction.format("5.000 5,999 5.9 5.0000000000"),
            "0.120 0,12 0.1 0.120000000"
        );
        assert_eq!(GoTime::ZERO.format("5.999 5.00x 5.001"), "0 0.00x 0.001");
    }
}
