//! The deployment files against the binary: `fly.toml` and the `Dockerfile` may only name
//! settings the binary accepts, with values it parses, on the port it listens on, with health
//! checks on paths it serves. No Docker engine runs here, so the container's start is exercised by
//! running the binary as the Dockerfile's entrypoint would, and replicas as processes on loopback.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use clap::CommandFactory as _;
use common::{
    Forwarder, Origin, Process, TestRepo, TestServer, blocking, eventually, github_headers, post,
    post_blocking, push_payload,
};
use serde_json::{Value, json};

fn read(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(name)).unwrap()
}

/// Every environment variable the binary reads: its flags' and the credentials'.
fn accepted_env() -> BTreeMap<String, String> {
    let mut names: BTreeMap<String, String> = quire::Cli::command()
        .get_arguments()
        .filter_map(|arg| {
            let env = arg.get_env()?.to_str()?.to_owned();
            Some((env, format!("--{}", arg.get_long()?)))
        })
        .collect();
    for name in quire::CREDENTIAL_ENV {
        names.insert(name.to_owned(), String::new());
    }
    names
}

/// Parses `env` (name, value) as the binary would, by turning each into its flag.
fn parse_env(env: &BTreeMap<String, String>) -> quire::Cli {
    let accepted = accepted_env();
    let mut args = vec!["quire".to_owned()];
    for (name, value) in env {
        let flag = accepted
            .get(name)
            .unwrap_or_else(|| panic!("{name} is not a setting quire accepts"));
        if flag.is_empty() {
            continue; // a credential: read from the environment directly
        }
        match value.as_str() {
            "true" => args.push(flag.clone()),
            _ => args.extend([flag.clone(), value.clone()]),
        }
    }
    <quire::Cli as clap::Parser>::try_parse_from(&args)
        .unwrap_or_else(|err| panic!("quire refuses {args:?}: {err}"))
}

/// The Dockerfile's last stage: `ENV` pairs, `EXPOSE`, `USER`, `HEALTHCHECK`, `ENTRYPOINT`, `CMD`.
struct Dockerfile {
    env: BTreeMap<String, String>,
    expose: Vec<u16>,
    user: String,
    healthcheck: String,
    entrypoint: Vec<String>,
    cmd: Vec<String>,
    copied_binary: String,
}

fn dockerfile() -> Dockerfile {
    let text = read("Dockerfile").replace("\\\n", " ");
    let stages: Vec<&str> = text.split("\nFROM ").collect();
    let runtime = stages.last().unwrap();
    let mut file = Dockerfile {
        env: BTreeMap::new(),
        expose: Vec::new(),
        user: String::new(),
        healthcheck: String::new(),
        entrypoint: Vec::new(),
        cmd: Vec::new(),
        copied_binary: String::new(),
    };
    for line in runtime.lines().map(str::trim) {
        let (instruction, rest) = line.split_once(' ').unwrap_or((line, ""));
        let json_list = |rest: &str| -> Vec<String> { serde_json::from_str(rest).unwrap() };
        match instruction {
            "ENV" => {
                for pair in rest.split_whitespace() {
                    let (name, value) = pair.split_once('=').unwrap();
                    file.env.insert(name.to_owned(), value.to_owned());
                }
            }
            "EXPOSE" => file.expose.push(rest.trim().parse().unwrap()),
            "USER" => file.user = rest.trim().to_owned(),
            "HEALTHCHECK" => file.healthcheck = rest.to_owned(),
            "ENTRYPOINT" => file.entrypoint = json_list(rest),
            "CMD" => file.cmd = json_list(rest),
            "COPY" if rest.starts_with("--from=build") => {
                file.copied_binary = rest.split_whitespace().last().unwrap().to_owned();
            }
            _ => {}
        }
    }
    file
}

fn fly() -> toml::Table {
    read("fly.toml").parse().expect("fly.toml is TOML")
}

#[test]
fn fly_toml_names_only_settings_the_binary_accepts() {
    let fly = fly();
    let env: BTreeMap<String, String> = fly["env"]
        .as_table()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().expect("string values").to_owned()))
        .collect();
    let cli = parse_env(&env);
    let service = fly["http_service"].as_table().unwrap();
    assert_eq!(
        service["internal_port"].as_integer().unwrap(),
        i64::from(cli.config.listen.port()),
        "internal_port must be the port of QUIRE_LISTEN"
    );
    assert_eq!(fly["build"]["dockerfile"].as_str(), Some("Dockerfile"));
    assert_eq!(fly["deploy"]["strategy"].as_str(), Some("rolling"));
    assert_eq!(service["force_https"].as_bool(), Some(true));
    // Fly must wait for the graceful shutdown before it kills the machine.
    let kill = fly["kill_timeout"].as_str().unwrap();
    let kill: u64 = kill.trim_end_matches('s').parse().unwrap();
    assert!(
        kill > cli.config.api.shutdown_timeout,
        "kill_timeout {kill} s"
    );
    // The secrets the comment tells to set are settings too.
    let secrets: Vec<String> = read("fly.toml")
        .lines()
        .filter_map(|l| {
            l.split_once("fly secrets set ")
                .map(|(_, rest)| rest.to_owned())
        })
        .flat_map(|rest| {
            rest.split_whitespace()
                .filter_map(|pair| Some(pair.split_once('=')?.0.to_owned()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        secrets.contains(&"QUIRE_WEBHOOK_SECRET".to_owned()),
        "{secrets:?}"
    );
    let accepted = accepted_env();
    for secret in secrets {
        assert!(
            accepted.contains_key(&secret),
            "{secret} is not read by quire"
        );
    }
}

#[test]
fn dockerfile_runs_as_a_user_on_the_port_it_exposes() {
    let file = dockerfile();
    let cli = parse_env(&file.env);
    assert_eq!(file.expose, [cli.config.listen.port()]);
    assert!(
        cli.config.listen.ip().is_unspecified(),
        "reachable from outside the container"
    );
    assert_eq!(cli.config.data_dir.as_deref(), Some(Path::new("/data")));
    assert!(!file.user.is_empty() && file.user != "root" && file.user != "0");
    assert!(
        file.healthcheck.contains(&format!(
            "http://127.0.0.1:{}/healthz",
            cli.config.listen.port()
        )),
        "{}",
        file.healthcheck
    );
    assert_eq!(file.entrypoint, std::slice::from_ref(&file.copied_binary));
    assert_eq!(file.cmd, ["serve"]);
    let fly = fly();
    assert_eq!(
        fly["http_service"]["internal_port"].as_integer().unwrap(),
        i64::from(file.expose[0])
    );
    // Every target Cargo.toml declares by path must exist in the build, or cargo refuses the
    // manifest: only src/ is copied, so the others are stubbed.
    let manifest: toml::Table = read("Cargo.toml").parse().unwrap();
    let build = read("Dockerfile");
    for bench in manifest["bench"].as_array().into_iter().flatten() {
        let path = format!("benches/{}.rs", bench["name"].as_str().unwrap());
        assert!(
            build.contains(&format!("> {path}")),
            "the Dockerfile must create {path}"
        );
    }
    let ignored = read(".dockerignore");
    assert!(ignored.lines().any(|l| l.trim() == "target/"));
}

/// A manifest of `deploy/kubernetes/`, as JSON.
fn manifest(name: &str) -> Value {
    serde_saphyr::from_str(&read(&format!("deploy/kubernetes/{name}")))
        .unwrap_or_else(|err| panic!("{name}: {err}"))
}

/// The Deployment's only container.
fn container() -> Value {
    let deployment = manifest("deployment.yaml");
    let containers = deployment["spec"]["template"]["spec"]["containers"]
        .as_array()
        .unwrap();
    assert_eq!(containers.len(), 1);
    containers[0].clone()
}

#[test]
fn kubernetes_manifests_agree_with_the_binary_and_each_other() {
    let mut listed: Vec<String> = manifest("kustomization.yaml")["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_owned())
        .collect();
    listed.push("kustomization.yaml".to_owned());
    listed.sort();
    let mut present: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/kubernetes"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
    present.sort();
    assert_eq!(listed, present, "kustomization.yaml lists every manifest");

    let deployment = manifest("deployment.yaml");
    let pod = &deployment["spec"]["template"];
    let labels = &pod["metadata"]["labels"];
    assert_eq!(&deployment["spec"]["selector"]["matchLabels"], labels);
    let container = container();
    let mut env = BTreeMap::new();
    for var in container["env"].as_array().unwrap() {
        let name = var["name"].as_str().unwrap().to_owned();
        // A value from a Secret: any value does for parsing.
        let value = var["value"].as_str().unwrap_or("from-a-secret");
        env.insert(name, value.to_owned());
    }
    assert!(env.contains_key("QUIRE_WEBHOOK_SECRET"));
    let cli = parse_env(&env);
    let port = cli.config.listen.port();
    assert!(cli.config.listen.ip().is_unspecified());
    assert_eq!(cli.config.data_dir.as_deref(), Some(Path::new("/data")));
    assert_eq!(container["ports"][0]["containerPort"], port);
    assert_eq!(container["args"], json!(dockerfile().cmd));
    let mounts = container["volumeMounts"].as_array().unwrap();
    assert!(mounts.iter().any(|m| m["mountPath"] == "/data"));
    let grace = pod["spec"]["terminationGracePeriodSeconds"]
        .as_u64()
        .unwrap();
    assert!(grace > cli.config.api.shutdown_timeout, "{grace} s");
    // The image's user, by number (Kubernetes checks runAsNonRoot against the number).
    let uid = read("Dockerfile")
        .split("--uid ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next()?.parse::<u64>().ok())
        .unwrap();
    assert_eq!(pod["spec"]["securityContext"]["runAsUser"], uid);

    // Peers: the headless Service's name, on this port, selecting these pods.
    let peers = manifest("peers-service.yaml");
    assert_eq!(peers["spec"]["clusterIP"], "None");
    assert_eq!(&peers["spec"]["selector"], labels);
    assert_eq!(
        cli.config.peers,
        [quire::Peer::Dns {
            host: peers["metadata"]["name"].as_str().unwrap().to_owned(),
            port: None,
        }]
    );
    assert_eq!(
        peers["spec"]["ports"][0]["port"], port,
        "peers are told on the own port"
    );
    let service = manifest("service.yaml");
    assert_eq!(&service["spec"]["selector"], labels);
    assert_eq!(
        service["spec"]["ports"][0]["targetPort"],
        container["ports"][0]["name"]
    );
}

#[test]
fn the_deployment_guide_names_only_settings_the_binary_accepts() {
    let guide = read("docs/deploy.md");
    let accepted = accepted_env();
    let mut named: Vec<&str> = guide
        .match_indices("QUIRE_")
        .map(|(at, _)| {
            let rest = &guide[at..];
            let end = rest
                .find(|c: char| !(c.is_ascii_uppercase() || c == '_'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .filter(|name| *name != "QUIRE_") // "every `QUIRE_*` variable"
        .collect();
    named.sort_unstable();
    named.dedup();
    assert!(named.len() > 5, "{named:?}");
    for name in named {
        assert!(accepted.contains_key(name), "docs/deploy.md names {name}");
    }
}

#[tokio::test]
async fn health_check_paths_are_served() {
    let repo = TestRepo::new();
    repo.commit(&[("posts/a.md", &post("title: A", ""))]);
    let server = TestServer::start(repo.config("posts")).await;
    let fly = fly();
    let checks = fly["http_service"]["checks"].as_array().unwrap();
    let mut paths: Vec<String> = checks
        .iter()
        .map(|c| c["path"].as_str().unwrap().to_owned())
        .collect();
    paths.push(
        dockerfile()
            .healthcheck
            .split("127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split_once('/'))
            .map(|(_, path)| format!("/{}", path.split_whitespace().next().unwrap()))
            .unwrap(),
    );
    let container = container();
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        let get = &container[probe]["httpGet"];
        assert_eq!(get["port"], "http", "{probe}");
        paths.push(get["path"].as_str().unwrap().to_owned());
    }
    assert!(paths.contains(&"/healthz".to_owned()) && paths.contains(&"/readyz".to_owned()));
    for path in paths {
        let status = server
            .client()
            .get(server.url(&path))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 200, "{path}");
    }
}

/// The container's start, without a container: the entrypoint and command of the Dockerfile,
/// its environment with /data replaced by a temporary folder, and a `file://` repository.
#[test]
fn starts_as_the_container_would_clone_serve_and_drain() {
    let repo = TestRepo::new();
    repo.commit(&[("content/hello.md", &post("title: Hello", "Hi."))]);
    let origin = Origin::new();
    repo.push(&origin);
    let data = tempfile::tempdir().unwrap();
    let file = dockerfile();
    let mut command = Command::new(env!("CARGO_BIN_EXE_quire"));
    command.args(&file.cmd).env_clear();
    for (name, value) in &file.env {
        let value = value.replace("/data", data.path().to_str().unwrap());
        // Any free port: the image's 8080 may be taken on a test machine.
        let value = if name == "QUIRE_LISTEN" {
            "127.0.0.1:0".to_owned()
        } else {
            value
        };
        command.env(name, value);
    }
    command
        .env("QUIRE_REPO", origin.url())
        .env("QUIRE_ROOT", "content")
        .env("QUIRE_SHUTDOWN_TIMEOUT", "5")
        .env("RUST_LOG", "info")
        .current_dir(data.path());
    let (mut child, addr) = Process::serve_json(command);
    assert!(
        std::fs::read_dir(data.path().join("repos"))
            .unwrap()
            .count()
            == 1,
        "the clone is kept in the data directory"
    );
    let answer = post_blocking(
        &format!("http://{addr}/graphql"),
        "{ post(slug: \"hello\") { title } }",
    );
    assert_eq!(answer["data"]["post"]["title"], "Hello");
    child.terminate();
    let status = child.exit_within(10);
    assert!(status.success(), "{status}");
}

const SECRET: &str = "replica test secret";

/// Three replicas as `fly.toml` runs them: one origin, a data directory each, and the same
/// `--peers` list naming all three (a replica ignores its own notice). A webhook reaches one;
/// all three serve the push. One killed in the middle of a refresh leaves the others serving,
/// and catches up when it starts again on the clone it left behind.
#[test]
fn replicas_follow_a_push_and_one_killed_mid_refresh_catches_up_on_start() {
    let repo = TestRepo::new();
    repo.commit(&[("content/hello.md", &post("title: Hello", "Hi."))]);
    let origin = Origin::new();
    repo.push(&origin);
    // Each replica listens on port 0; the others reach it through a forwarder whose address is
    // fixed before any starts (as a Service's would be), so `--peers` can name all three.
    let fronts: Vec<Forwarder> = (0..3).map(|_| Forwarder::new()).collect();
    let peers: Vec<String> = fronts.iter().map(Forwarder::url).collect();
    let data: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let start = |i: usize| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_quire"));
        command
            .env_clear()
            .env("QUIRE_REPO", origin.url())
            .env("QUIRE_ROOT", "content")
            .env("QUIRE_LISTEN", "127.0.0.1:0")
            .env("QUIRE_DATA_DIR", data[i].path())
            .env("QUIRE_PEERS", peers.join(","))
            .env("QUIRE_WEBHOOK_SECRET", SECRET)
            // Only webhooks and notices refresh, so every update below is one they caused.
            .env("QUIRE_POLL_INTERVAL", "0")
            .env("QUIRE_LOG_FORMAT", "json")
            .env("RUST_LOG", "info");
        let (process, addr) = Process::serve_json(command);
        fronts[i].point_at(&addr);
        process
    };
    let mut replicas: Vec<Process> = (0..3).map(start).collect();
    let readyz = |i: usize| {
        let url = format!("{}/readyz", peers[i]);
        async move {
            reqwest::get(url)
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    // Another process's state, over HTTP: nothing announces it to the test.
    let wait_for = |i: usize, commit: git2::Oid| {
        let commit = commit.to_string();
        blocking(eventually(
            &format!("replica {i} to serve {commit}"),
            std::time::Duration::from_secs(60),
            || {
                let commit = commit.clone();
                async move {
                    let ready = readyz(i).await;
                    (ready["revision"]["commit"] == commit.as_str()).then_some(ready)
                }
            },
        ))
    };
    let push = |i: usize, delivery: &str| {
        repo.push(&origin);
        let body = push_payload("refs/heads/main", &repo.head().to_string());
        let url = format!("{}/webhook", peers[i]);
        let status = blocking(async {
            let mut request = reqwest::Client::new().post(url).body(body.clone());
            for (name, value) in github_headers(SECRET, "push", &body, Some(delivery)) {
                request = request.header(name, value);
            }
            request.send().await.unwrap().status()
        });
        assert_eq!(status, 202, "webhook to replica {i}");
    };

    // A push, the webhook to the first replica: all three serve it.
    repo.commit(&[("content/second.md", &post("title: Second", "Two."))]);
    push(0, "d1");
    for i in 0..3 {
        let ready = wait_for(i, repo.head());
        let trigger = ready["lastRefresh"]["trigger"].as_str().unwrap().to_owned();
        let told = if i == 0 {
            "GitHub webhook d1"
        } else {
            "notice from replica"
        };
        assert!(trigger.starts_with(told), "replica {i}: {trigger}");
    }

    // A push big enough to take a while, the webhook to the second replica; the third is killed
    // as soon as its refresh begins.
    let posts: Vec<(String, String)> = (0..3000)
        .map(|n| {
            let body = format!(
                "Paragraph *{n}* with a [link](/p/{n}/) and a footnote.[^1]\n\n- one\n- two\n\n[^1]: Note {n}."
            );
            (
                format!("content/bulk/{n}.md"),
                post(&format!("title: Bulk {n}\ntags: [t{}]", n % 40), &body),
            )
        })
        .collect();
    let files: Vec<(&str, &str)> = posts
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    repo.commit(&files);
    let bulk = repo.head();
    replicas[2].wait_for_log("serving 2 posts", 10);
    push(1, "d2");
    replicas[2].wait_for_log("refreshing (notice from replica", 30);
    let rest = replicas[2].kill();
    assert!(
        !rest.iter().any(|e| e["message"]
            .as_str()
            .unwrap_or_default()
            .starts_with("serving 3002 posts")),
        "the refresh finished before the kill: {rest:?}"
    );
    for (i, peer) in peers.iter().enumerate().take(2) {
        let ready = wait_for(i, bulk);
        assert_eq!(ready["revision"]["postCount"], 3002, "replica {i}");
        assert_eq!(ready["lastRefresh"]["error"], Value::Null, "replica {i}");
        let answer = post_blocking(
            &format!("{peer}/graphql"),
            "{ post(slug: \"bulk-2999\") { title } }",
        );
        assert_eq!(answer["data"]["post"]["title"], "Bulk 2999", "replica {i}");
    }

    // Started again on the clone it was killed with, it serves the push before it says ready.
    replicas[2] = start(2);
    let ready = blocking(readyz(2));
    assert_eq!(ready["revision"]["commit"], bulk.to_string());
    assert_eq!(ready["revision"]["postCount"], 3002);

    // And it is a replica like the others again: a webhook to it reaches all three.
    repo.remove(&["content/hello.md"]);
    push(2, "d3");
    for i in 0..3 {
        assert_eq!(wait_for(i, repo.head())["revision"]["postCount"], 3001);
    }
}
