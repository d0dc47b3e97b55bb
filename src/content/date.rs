//! Post dates as authors write them.
//!
//! Accepted: RFC 3339 (`2017-12-11T21:45:37+11:00`, `...Z`, fractional seconds), offsets without a
//! colon (`+1100`), a space instead of `T`, date-times without a zone (taken as UTC) and bare dates
//! (midnight UTC). The offset is kept as written: the ISO week is that of the local date the author
//! wrote, and ordering compares the instants.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, SecondsFormat};

/// A post's date, with the offset it was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PostDate {
    moment: DateTime<FixedOffset>,
    /// Written as `Z`, or without any zone: shown with `Z` again.
    zulu: bool,
}

/// An ISO 8601 week-numbering year and week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct IsoWeek {
    /// ISO week-numbering year (may differ from the calendar year around New Year).
    pub(crate) year: i32,
    /// Week of that year, 1 to 52 or 53.
    pub(crate) week: u32,
}

const ZONED: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M:%S%.f%z",
    "%Y-%m-%dT%H:%M:%S%.f %z",
    "%Y-%m-%d %H:%M:%S%.f %z",
    "%Y-%m-%dT%H:%M%z",
    "%Y-%m-%d %H:%M%z",
];
const NAIVE: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
];

impl PostDate {
    /// Parses a date as written in front matter; `None` when no accepted form matches.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if let Some(naive) = text.strip_suffix(['Z', 'z']) {
            return parse_naive(naive).map(|moment| PostDate { moment, zulu: true });
        }
        if let Ok(moment) = DateTime::parse_from_rfc3339(text) {
            return Some(PostDate {
                moment,
                zulu: false,
            });
        }
        if let Some(moment) = ZONED
            .iter()
            .find_map(|f| DateTime::parse_from_str(text, f).ok())
        {
            return Some(PostDate {
                moment,
                zulu: false,
            });
        }
        parse_naive(text).map(|moment| PostDate { moment, zulu: true })
    }

    /// The date as RFC 3339, in the offset it was written with.
    pub(crate) fn to_rfc3339(self) -> String {
        self.moment
            .to_rfc3339_opts(SecondsFormat::AutoSi, self.zulu)
    }

    /// The ISO week of the local date in the written offset (not of the UTC date).
    pub(crate) fn iso_week(self) -> IsoWeek {
        let week = self.moment.iso_week();
        IsoWeek {
            year: week.year(),
            week: week.week(),
        }
    }

    /// The date and time as written, in its offset (UTC when none was written).
    pub(crate) fn local(self) -> DateTime<FixedOffset> {
        self.moment
    }

    /// The instant, for ordering across offsets.
    pub(crate) fn instant(self) -> DateTime<chrono::Utc> {
        self.moment.to_utc()
    }
}

fn parse_naive(text: &str) -> Option<DateTime<FixedOffset>> {
    let naive = NAIVE
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })?;
    Some(naive.and_utc().fixed_offset())
}

impl IsoWeek {
    /// Checks that `week` exists in the ISO year `year`.
    ///
    /// # Errors
    /// A sentence naming the allowed range when it does not.
    pub(crate) fn new(year: i32, week: i32) -> Result<Self, String> {
        if !(1..=9999).contains(&year) {
            return Err(format!("year must be between 1 and 9999, got {year}"));
        }
        let weeks = Self::weeks_in(year);
        match u32::try_from(week) {
            Ok(w) if (1..=weeks).contains(&w) => Ok(IsoWeek { year, week: w }),
            _ => Err(format!(
                "week must be between 1 and {weeks} for {year} ({year} has {weeks} ISO weeks), got {week}"
            )),
        }
    }

    /// 52 or 53: the number of ISO weeks in `year`.
    fn weeks_in(year: i32) -> u32 {
        NaiveDate::from_ymd_opt(year, 12, 28).map_or(52, |d| d.iso_week().week())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week(text: &str) -> (i32, u32) {
        let w = PostDate::parse(text).expect(text).iso_week();
        (w.year, w.week)
    }

    #[test]
    fn accepts_every_written_form() {
        for (written, shown) in [
            ("2017-12-11T21:45:37+11:00", "2017-12-11T21:45:37+11:00"),
            ("2017-12-11T21:45:37+1100", "2017-12-11T21:45:37+11:00"),
            ("2017-12-11 21:45:37 +1100", "2017-12-11T21:45:37+11:00"),
            (
                "2017-12-11T21:45:37.250-05:00",
                "2017-12-11T21:45:37.250-05:00",
            ),
            ("2017-12-11T10:45:37Z", "2017-12-11T10:45:37Z"),
            ("2017-12-11 10:45:37", "2017-12-11T10:45:37Z"),
            ("2017-12-11T10:45", "2017-12-11T10:45:00Z"),
            ("2017-12-11", "2017-12-11T00:00:00Z"),
            ("  2017-12-11  ", "2017-12-11T00:00:00Z"),
        ] {
            let date =
                PostDate::parse(written).unwrap_or_else(|| panic!("{written} did not parse"));
            assert_eq!(date.to_rfc3339(), shown, "{written}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for bad in [
            "",
            "yesterday",
            "2017-13-01",
            "2017-02-30",
            "11/12/2017",
            "2017",
        ] {
            assert_eq!(PostDate::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn iso_week_uses_the_written_offset() {
        assert_eq!(week("2017-12-11T21:45:37+11:00"), (2017, 50));
        // Monday 00:30 in Sydney is still Sunday in UTC: the written offset decides.
        assert_eq!(week("2017-12-11T00:30:00+11:00"), (2017, 50));
        assert_eq!(week("2021-01-01"), (2020, 53));
        assert_eq!(week("2019-12-30"), (2020, 1));
    }

    #[test]
    fn validates_weeks_per_year() {
        assert!(IsoWeek::new(2020, 53).is_ok());
        assert_eq!(
            IsoWeek::new(2021, 53).unwrap_err(),
            "week must be between 1 and 52 for 2021 (2021 has 52 ISO weeks), got 53"
        );
        assert!(
            IsoWeek::new(2020, 54)
                .unwrap_err()
                .contains("between 1 and 53")
        );
        assert!(IsoWeek::new(2020, 0).is_err());
        assert!(IsoWeek::new(0, 1).unwrap_err().contains("year"));
    }
}
