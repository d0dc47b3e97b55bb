//! The example site as processes: `npm run build` (codegen, then `next build`) and `next start`
//! on port 0 behind a fixed address.

use std::io::BufRead as _;
use std::os::unix::process::CommandExt as _;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use super::common::Forwarder;
use super::{DRAFT_SECRET, SECRET, TOKEN};

/// `examples/nextjs-blog/`.
pub(crate) fn dir() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/nextjs-blog")
}

/// A command in the example's folder with the settings the site reads.
fn command(program: &str, quire: &str, site: &str) -> Command {
    let mut command = Command::new(program);
    command
        .current_dir(dir())
        .env("NEXT_TELEMETRY_DISABLED", "1")
        .env("QUIRE_URL", quire)
        .env("NEXT_PUBLIC_QUIRE_URL", quire)
        .env("SITE_URL", site)
        .env("QUIRE_NOTIFY_SECRET", SECRET)
        .env("QUIRE_PREVIEW_TOKEN", TOKEN)
        .env("DRAFT_SECRET", DRAFT_SECRET)
        .env_remove("QUIRE_SCHEMA");
    command
}

/// A running `next start`, stopped (with its process group) when dropped.
pub(crate) struct Site {
    child: Child,
}

impl Site {
    /// `npm run build` against Quire at `quire`, for a site published at `site`.
    pub(crate) async fn build(quire: &str, site: &str) {
        let mut command = command("npm", quire, site);
        command.args(["run", "build"]);
        let output = tokio::task::spawn_blocking(move || command.output())
            .await
            .unwrap()
            .expect("run npm");
        assert!(
            output.status.success(),
            "npm run build failed ({}):\n{}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// `next start` on a port of its own, with `site` pointed at it once it listens.
    pub(crate) async fn start(quire: &str, site: &Forwarder) -> Site {
        let mut command = command("node", quire, &site.url());
        command
            .args([
                "node_modules/next/dist/bin/next",
                "start",
                "--port",
                "0",
                "--hostname",
                "127.0.0.1",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .process_group(0);
        let mut child = command.spawn().expect("start next");
        let stdout = child.stdout.take().unwrap();
        let (addr, rest) = tokio::task::spawn_blocking(move || {
            let mut lines = std::io::BufReader::new(stdout).lines();
            let addr = lines.by_ref().map_while(Result::ok).find_map(|line| {
                line.split_once("Local:")
                    .map(|(_, url)| url.trim().trim_start_matches("http://").to_owned())
            });
            (addr, lines)
        })
        .await
        .unwrap();
        let mut site_process = Site { child };
        let Some(addr) = addr else {
            let status = site_process.child.wait().unwrap();
            panic!("next start exited ({status}) before it listened");
        };
        // The rest of the log goes on being read, so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            rest.map_while(Result::ok)
                .for_each(|line| eprintln!("next: {line}"))
        });
        site.point_at(&addr);
        site_process
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        // `next start` may run workers of its own: end the whole group. It finishes what it is
        // answering first, but would also wait for idle keep-alive connections: 5 s at most.
        let group = format!("-{}", self.child.id());
        let signal = |name: &str| {
            let _ = Command::new("kill")
                .args(["-s", name, "--", &group])
                .status();
        };
        signal("TERM");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while self.child.try_wait().ok().flatten().is_none() {
            if std::time::Instant::now() > deadline {
                signal("KILL");
                let _ = self.child.wait();
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}
