//! `quire` as a process started by a test: the binary without the developer's settings, a
//! server logging JSON whose log a test can wait on, and blocking helpers for synchronous tests.

use serde_json::{Value, json};

use super::{SECS_10, TestRepo, eventually};

/// The `quire` binary, with none of the developer's `QUIRE_*` settings leaking in.
pub fn quire_command() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_quire"));
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("QUIRE_") {
            command.env_remove(name);
        }
    }
    command.env_remove("RUST_LOG");
    command
}

/// `quire serve` on `repo` with `args`, logging JSON at `info`; see [`Process::serve_json`].
pub fn serve_process(repo: &TestRepo, args: &[&str]) -> (Process, String) {
    let mut command = quire_command();
    command
        .args([
            "--repo",
            repo.path().to_str().expect("UTF-8 temp path"),
            "--listen",
            "127.0.0.1:0",
            "--log-format",
            "json",
        ])
        .args(args)
        .env("RUST_LOG", "info");
    Process::serve_json(command)
}

/// A `quire` process started by a test, killed when dropped (even when an assertion fails first).
pub struct Process {
    pub child: std::process::Child,
    /// The JSON log events after "serving", for [`Process::wait_for_log`].
    logs: Option<std::sync::mpsc::Receiver<Value>>,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Process {
    pub fn new(child: std::process::Child) -> Process {
        Process { child, logs: None }
    }

    /// Spawns `command`, which must log JSON, and waits for the "serving … GraphiQL at" line:
    /// returns the process and the address it serves on. Every line read must be one JSON
    /// object with a timestamp and a level. The rest of the log is read in the background, so
    /// the server never blocks on a full pipe, and kept for [`Process::wait_for_log`].
    pub fn serve_json(mut command: std::process::Command) -> (Process, String) {
        use std::io::BufRead as _;
        let mut child = Process::new(
            command
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn quire"),
        );
        let mut lines = std::io::BufReader::new(child.child.stderr.take().unwrap()).lines();
        let event = move |line: String| -> Value {
            let event: Value = serde_json::from_str(&line)
                .unwrap_or_else(|err| panic!("not a JSON log line ({err}): {line}"));
            assert!(
                event["timestamp"].is_string() && event["level"].is_string(),
                "{event}"
            );
            event
        };
        let addr = loop {
            let line = lines.next().expect("quire exited before serving").unwrap();
            let event = event(line);
            let message = event["message"].as_str().unwrap_or_default();
            if let Some((_, rest)) = message.split_once("GraphiQL at http://") {
                break rest.trim_end_matches("/graphql").to_owned();
            }
        };
        let (send, receive) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                let _ = send.send(event(line));
            }
        });
        child.logs = Some(receive);
        (child, addr)
    }

    /// Waits up to `secs` for a log message containing `text`, skipping the others, and
    /// returns the whole event.
    pub fn wait_for_log(&self, text: &str, secs: u64) -> Value {
        let logs = self.logs.as_ref().expect("started by serve_json");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let event = logs
                .recv_timeout(left)
                .unwrap_or_else(|err| panic!("no log message with `{text}` in {secs} s: {err}"));
            if event["message"].as_str().is_some_and(|m| m.contains(text)) {
                return event;
            }
        }
    }

    /// Kills the process at once (SIGKILL, nothing cleaned up) and returns the log events
    /// [`Process::wait_for_log`] had not read.
    pub fn kill(&mut self) -> Vec<Value> {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        let logs = self.logs.as_ref().expect("started by serve_json");
        // The reader ends at the end of the pipe, which the kill closed.
        std::iter::from_fn(|| logs.recv_timeout(std::time::Duration::from_secs(10)).ok()).collect()
    }

    /// Sends SIGTERM.
    pub fn terminate(&self) {
        std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
    }

    /// Waits up to `secs` for the process to exit and returns its status.
    pub fn exit_within(&mut self, secs: u64) -> std::process::ExitStatus {
        // `Child` offers a blocking wait or a poll; a wait could not give up after `secs`.
        let child = &mut self.child;
        blocking(eventually(
            "the process to exit",
            std::time::Duration::from_secs(secs),
            || {
                let status = child.try_wait().unwrap();
                async move { status }
            },
        ))
    }
}

/// Runs `future` to completion from a synchronous test.
pub fn blocking<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

/// POSTs `query` to the GraphQL endpoint `url` from a synchronous test.
pub fn post_blocking(url: &str, query: &str) -> Value {
    graphql_blocking(url, query, &json!({}))
}

/// POSTs `query` with `variables` to the GraphQL endpoint `url` from a synchronous test, and
/// returns the whole answer (`data` and `errors`).
pub fn graphql_blocking(url: &str, query: &str, variables: &Value) -> Value {
    blocking(async {
        reqwest::Client::new()
            .post(url)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    })
}
