//! Git-native reading (issue 17), against throwaway repositories served by a real server:
//! any branch, tag or commit with `at(ref:)` and previews with a token (`at`), changes
//! between commits; a post's history, its dates and contributors from git (`history`); refs of
//! a remote repository (`remote`); signed notifications to receivers after each new commit
//! (`notify`).

mod common;

#[path = "git_native/at.rs"]
mod at;
#[path = "git_native/history.rs"]
mod history;
#[path = "git_native/notify.rs"]
mod notify;
#[path = "git_native/remote.rs"]
mod remote;
