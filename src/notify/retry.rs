//! When a notification is tried again: a fixed table of waits, each moved at random by up to
//! a fifth either way, so that many Quire replicas failing against one receiver do not retry
//! in step. Eight attempts over about an hour, each given ten seconds.

use std::hash::BuildHasher as _;
use std::time::Duration;

/// Waits before the second to the eighth attempt: 0, 5 s, 35 s, 2 min 35 s, 7 min 35 s,
/// 17 min 35 s, 37 min 35 s and 62 min 35 s after the first.
const STANDARD_WAITS: [u64; 7] = [5, 30, 120, 300, 600, 1200, 1500];
/// How long one attempt may take before it counts as failed.
const STANDARD_TIMEOUT: Duration = Duration::from_secs(10);
/// How far each wait is moved at random, as a fraction of it, either way.
const JITTER: f64 = 0.2;
/// The longest a receiver's `Retry-After` may hold a message back.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// How a notification is retried: the waits between attempts and how long one attempt may
/// take. `Default` is the production schedule; tests give a tiny one.
#[derive(Debug, Clone, PartialEq)]
pub struct RetrySchedule {
    /// Waits before the second, third, … attempt; one more attempt than waits is made.
    waits: Vec<Duration>,
    /// How long one attempt may take.
    timeout: Duration,
}

impl Default for RetrySchedule {
    fn default() -> Self {
        RetrySchedule {
            waits: STANDARD_WAITS.map(Duration::from_secs).to_vec(),
            timeout: STANDARD_TIMEOUT,
        }
    }
}

impl RetrySchedule {
    /// A schedule of `waits` between attempts (one attempt more than waits), each attempt
    /// given `timeout`.
    pub fn new(waits: Vec<Duration>, timeout: Duration) -> RetrySchedule {
        RetrySchedule { waits, timeout }
    }

    /// How many times a message is tried before it is given up.
    pub fn attempts(&self) -> usize {
        self.waits.len() + 1
    }

    /// How long one attempt may take.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The wait after failed attempt `attempt` (from 1) of message `id`, jittered; `None` after
    /// the last attempt. A receiver's `Retry-After` makes it longer, up to an hour.
    pub(crate) fn wait_after(
        &self,
        attempt: usize,
        id: &str,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        let wait = *self.waits.get(attempt.checked_sub(1)?)?;
        let jittered = jitter(wait, random_unit(id, attempt));
        Some(jittered.max(retry_after.unwrap_or_default().min(MAX_RETRY_AFTER)))
    }
}

/// `wait` moved by up to [`JITTER`] of it either way: `unit` (in [0, 1)) picks where.
fn jitter(wait: Duration, unit: f64) -> Duration {
    wait.mul_f64(1.0 - JITTER + 2.0 * JITTER * unit.clamp(0.0, 1.0))
}

/// A number in [0, 1) that differs between messages, attempts and processes: a hash with the
/// process's random keys, which is random enough to spread retries and needs no generator.
fn random_unit(id: &str, attempt: usize) -> f64 {
    let hash = std::collections::hash_map::RandomState::new().hash_one((id, attempt));
    // The top 53 bits, as many as an f64 holds exactly.
    (hash >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_schedule_tries_eight_times_over_about_an_hour() {
        let schedule = RetrySchedule::default();
        assert_eq!(schedule.attempts(), 8);
        assert_eq!(schedule.timeout(), Duration::from_secs(10));
        let waits: Vec<Duration> = (1..schedule.attempts())
            .map(|n| schedule.wait_after(n, "msg_1", None).unwrap())
            .collect();
        for (wait, nominal) in waits.iter().zip(STANDARD_WAITS) {
            let nominal = nominal as f64;
            let secs = wait.as_secs_f64();
            assert!(
                (nominal * 0.8..=nominal * 1.2).contains(&secs),
                "{secs} s is not within a fifth of {nominal} s"
            );
        }
        let total: f64 = waits.iter().map(Duration::as_secs_f64).sum();
        assert!((3000.0..=4510.0).contains(&total), "{total} s in all");
        assert_eq!(schedule.wait_after(8, "msg_1", None), None, "eight at most");
        assert_eq!(schedule.wait_after(0, "msg_1", None), None);
    }

    #[test]
    fn jitter_spans_a_fifth_either_way() {
        let minute = Duration::from_secs(60);
        assert_eq!(jitter(minute, 0.0), Duration::from_secs(48));
        assert_eq!(jitter(minute, 0.5), minute);
        assert_eq!(jitter(minute, 1.0), Duration::from_secs(72));
    }

    #[test]
    fn retries_of_different_messages_are_spread() {
        let schedule = RetrySchedule::default();
        let waits: std::collections::HashSet<Duration> = (0..20)
            .map(|i| schedule.wait_after(3, &format!("msg_{i}"), None).unwrap())
            .collect();
        assert!(waits.len() > 10, "{waits:?}");
        for i in 0..1000 {
            let unit = random_unit("msg", i);
            assert!((0.0..1.0).contains(&unit), "{unit}");
        }
    }

    #[test]
    fn retry_after_lengthens_a_wait_up_to_an_hour() {
        let schedule = RetrySchedule::new(vec![Duration::from_millis(1); 2], STANDARD_TIMEOUT);
        assert_eq!(schedule.attempts(), 3);
        let two_minutes = Duration::from_secs(120);
        assert_eq!(
            schedule.wait_after(1, "msg", Some(two_minutes)),
            Some(two_minutes)
        );
        assert_eq!(
            schedule.wait_after(2, "msg", Some(Duration::from_secs(86_400))),
            Some(MAX_RETRY_AFTER)
        );
        assert!(schedule.wait_after(1, "msg", None).unwrap() < Duration::from_millis(2));
    }
}
