//! Git-native reading (issue 17), against throwaway repositories served by a real server: a
//! post's history, its dates and contributors from git (`history`).

mod common;

#[path = "git_native/history.rs"]
mod history;
