//! Listings and discovery (issue 16), against throwaway repositories served by a real server:
//! publishing rules on a clock the test moves.

mod common;

#[path = "listings/schedule.rs"]
mod schedule;
