//! The time publishing rules are evaluated at: the system clock, or one a test sets.
//!
//! Every request reads the clock once (at the HTTP edge) and answers at that instant: which
//! posts are published, the cache key and `Cache-Control` of the answer all come from it.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, TimeDelta, Utc};

/// Where "now" comes from. Cheap to clone.
#[derive(Clone, Default)]
pub struct Clock(Source);

#[derive(Clone, Default)]
enum Source {
    #[default]
    System,
    Manual(Arc<Mutex<DateTime<Utc>>>),
}

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock(Source::System)
    }

    /// A clock that stands at `start` until [`Clock::set`] or [`Clock::advance`] moves it (for
    /// tests of scheduled posts, without sleeping).
    pub fn manual(start: DateTime<Utc>) -> Clock {
        Clock(Source::Manual(Arc::new(Mutex::new(start))))
    }

    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        match &self.0 {
            Source::System => Utc::now(),
            Source::Manual(at) => *at.lock().unwrap_or_else(PoisonError::into_inner),
        }
    }

    /// Moves a manual clock to `instant` (every clone of it moves).
    ///
    /// # Panics
    /// On the system clock, which cannot be set.
    pub fn set(&self, instant: DateTime<Utc>) {
        match &self.0 {
            Source::System => panic!("the system clock cannot be set: use Clock::manual"),
            Source::Manual(at) => *at.lock().unwrap_or_else(PoisonError::into_inner) = instant,
        }
    }

    /// Moves a manual clock forward by `by`.
    ///
    /// # Panics
    /// On the system clock.
    pub fn advance(&self, by: TimeDelta) {
        self.set(self.now() + by);
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Source::System => f.write_str("Clock::system()"),
            Source::Manual(_) => write!(f, "Clock::manual({})", self.now()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told_and_every_clone_with_it() {
        let start = DateTime::parse_from_rfc3339("2026-12-01T09:00:00Z")
            .unwrap()
            .to_utc();
        let clock = Clock::manual(start);
        let other = clock.clone();
        assert_eq!(clock.now(), start);
        other.advance(TimeDelta::seconds(1));
        assert_eq!(clock.now(), start + TimeDelta::seconds(1));
    }

    #[test]
    fn the_system_clock_reads_the_time() {
        let before = Utc::now();
        assert!(Clock::system().now() >= before);
    }
}
