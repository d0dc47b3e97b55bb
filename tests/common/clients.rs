//! Whether the Node.js and browser tests can run on this machine, and skipping a test whose
//! tools are missing.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The folder of the Node.js programs the tests run, `clients/`.
pub fn clients() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("clients")
}

/// Runs `node clients/<script> args…` and parses the JSON it prints.
pub async fn node(script: &str, args: Vec<String>) -> Value {
    let dir = clients();
    let script = script.to_owned();
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg(&script)
            .args(&args)
            .current_dir(&dir)
            .output()
    })
    .await
    .unwrap()
    .expect("run node (scripts/setup-tests.sh installs it)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "node failed ({}):\nstdout: {stdout}\nstderr: {stderr}",
        output.status
    );
    serde_json::from_str(stdout.trim()).unwrap_or_else(|err| {
        panic!("node printed no JSON ({err}):\nstdout: {stdout}\nstderr: {stderr}")
    })
}

/// Whether the Node.js and browser tests (`tests/frontend.rs`, `tests/nextjs_blog.rs`) can run
/// here: Node.js, the npm packages of `clients/` and `examples/nextjs-blog/` (all from
/// `scripts/setup-tests.sh`) and, when `browser`, Chromium (`$CHROMIUM` or `/usr/bin/chromium`).
///
/// When something is missing, `test` is skipped with one line on stderr (shown even when the
/// test harness captures output) and this returns `false`; with `CI=true` it fails: see [`skip`].
pub fn frontend_ready(test: &str, browser: bool) -> bool {
    let mut missing = Vec::new();
    let node = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success());
    if !node {
        missing.push("node".to_owned());
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for packages in ["clients", "examples/nextjs-blog"] {
        if !root.join(packages).join("node_modules").is_dir() {
            missing.push(format!("{packages}/node_modules"));
        }
    }
    if browser {
        let chromium = std::env::var_os("CHROMIUM")
            .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
        if !chromium.is_file() {
            missing.push(chromium.display().to_string());
        }
    }
    if missing.is_empty() {
        return true;
    }
    let what = if browser {
        "Node.js packages and Chromium"
    } else {
        "Node.js packages"
    };
    skip(
        test,
        &format!(
            "run scripts/setup-tests.sh ({what}) to run the browser and Node.js tests (missing: {})",
            missing.join(", ")
        ),
    )
}

/// Skips `test`, whose tools are missing, with one line on stderr saying `advice`, and returns
/// `false`; with `CI=true` in the environment it panics instead, so a CI run cannot pass without
/// running the test.
pub fn skip(test: &str, advice: &str) -> bool {
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{test} cannot run, and with CI=true that is a failure: {advice}"
    );
    use std::io::Write as _;
    // Straight to the stream: `eprintln!` would be captured, and hidden, for a passing test.
    let _ = writeln!(std::io::stderr(), "skipping {test}: {advice}");
    false
}
