//! Git-native features (issue 17) against throwaway repositories served by a real server:
//! signed notifications to receivers after each new commit (`notify`).

mod common;

#[path = "git_native/notify.rs"]
mod notify;
