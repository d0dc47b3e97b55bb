//! Git-native reading (issue 17), against throwaway repositories served by a real server:
//! any branch, tag or commit with `at(ref:)` and previews with a token (`at`), changes
//! between commits.

mod common;

#[path = "git_native/at.rs"]
mod at;
