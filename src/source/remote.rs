//! Remote repositories: a bare clone under the data directory, brought up to date by asking the
//! remote where the branch points and downloading only when it moved. Credentials come from the
//! URL or the environment (`QUIRE_GIT_USERNAME` / `QUIRE_GIT_PASSWORD`, `QUIRE_SSH_KEY`), never
//! from a file, and are never logged: logs and errors show the URL with its password hidden.

use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use git2::{Cred, CredentialType, Direction, FetchOptions, Oid, RemoteCallbacks, Repository};
use sha2::{Digest as _, Sha256};

use super::SourceError;

/// The environment variables credentials are read from (besides the URL and ssh-agent).
pub const CREDENTIAL_ENV: [&str; 4] = [
    "QUIRE_GIT_USERNAME",
    "QUIRE_GIT_PASSWORD",
    "QUIRE_SSH_KEY",
    "QUIRE_SSH_KEY_PASSPHRASE",
];

/// A repository reached by URL (`https://`, `ssh://`, `file://`, or `user@host:path`).
#[derive(Clone)]
pub struct Remote {
    url: String,
    shown: String,
    clone_dir: PathBuf,
    /// The lock that makes the clone this process's alone, taken at the first fetch and held
    /// until the process ends.
    claim: Arc<Mutex<Option<File>>>,
}

/// The file in the clone that a running Quire holds locked.
const CLAIM_FILE: &str = "quire.lock";

/// What [`Remote::fetch`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fetched {
    /// The branch served: the one asked for, or the remote's default branch.
    pub(crate) branch: String,
    pub(crate) commit: Oid,
    /// False when the clone already had this commit and nothing was downloaded.
    pub(crate) downloaded: bool,
}

impl fmt::Debug for Remote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Remote")
            .field("url", &self.shown)
            .field("clone_dir", &self.clone_dir)
            .finish()
    }
}

impl fmt::Display for Remote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

/// True when `repo` names a remote repository rather than a local path.
pub(crate) fn is_url(repo: &str) -> bool {
    if repo.contains("://") {
        return true;
    }
    // scp-like syntax: `git@github.com:owner/blog.git`.
    match repo.split_once(':') {
        Some((host, path)) => host.contains('@') && !host.contains('/') && !path.is_empty(),
        None => false,
    }
}

impl Remote {
    /// The remote at `url`, cloned into a folder of `data_dir` named after the URL (without its
    /// password, so a rotated token reuses the clone).
    pub fn new(url: &str, data_dir: &Path) -> Remote {
        let shown = hide_password(url);
        let name: String = shown
            .trim_end_matches('/')
            .rsplit(['/', ':'])
            .next()
            .unwrap_or("repo")
            .trim_end_matches(".git")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let hash = hex::encode(&Sha256::digest(shown.as_bytes())[..6]);
        Remote {
            url: url.to_owned(),
            clone_dir: data_dir.join("repos").join(format!("{name}-{hash}.git")),
            shown,
            claim: Arc::default(),
        }
    }

    /// The bare clone.
    pub(crate) fn clone_dir(&self) -> &Path {
        &self.clone_dir
    }

    /// True when the bare clone exists and has a commit to serve (a previous run fetched one).
    pub(crate) fn is_cloned(&self) -> bool {
        Repository::open_bare(&self.clone_dir)
            .and_then(|repo| repo.head()?.peel_to_commit().map(|_| ()))
            .is_ok()
    }

    /// Brings `branch` (or the remote's default branch) of the clone up to date with the remote,
    /// cloning first when there is no clone yet. A force-push is taken as it is: the branch
    /// follows the remote, wherever it points.
    ///
    /// # Errors
    /// [`SourceError`] when the clone cannot be created, the remote cannot be reached or refuses
    /// the credentials, or the branch does not exist there.
    pub(crate) fn fetch(&self, branch: Option<&str>) -> Result<Fetched, SourceError> {
        let repo = self.claimed()?;
        let failed = |source| self.unreachable(source);
        let mut remote = repo.remote_anonymous(&self.url).map_err(failed)?;
        let mut connection = remote
            .connect_auth(Direction::Fetch, Some(callbacks(&self.shown)), None)
            .map_err(failed)?;
        let heads: Vec<(String, Oid)> = connection
            .list()
            .map_err(failed)?
            .iter()
            .map(|h| (h.name().to_owned(), h.oid()))
            .collect();
        let branch = match branch {
            Some(name) => name.to_owned(),
            None => match connection.default_branch() {
                Ok(buf) => buf
                    .as_str()
                    .unwrap_or_default()
                    .trim_start_matches("refs/heads/")
                    .to_owned(),
                Err(_) if !heads.iter().any(|(n, _)| n.starts_with("refs/heads/")) => {
                    return Err(SourceError::EmptyRemote {
                        url: self.shown.clone(),
                    });
                }
                // Branches but no HEAD among them: HEAD names a branch that was deleted.
                Err(e) if e.code() == git2::ErrorCode::NotFound => {
                    return Err(SourceError::RemoteHeadMissing {
                        url: self.shown.clone(),
                        available: branches(&heads),
                    });
                }
                Err(source) => return Err(failed(source)),
            },
        };
        let wanted = format!("refs/heads/{branch}");
        let Some(&(_, commit)) = heads.iter().find(|(name, _)| *name == wanted) else {
            return Err(SourceError::RemoteBranchMissing {
                branch,
                url: self.shown.clone(),
                available: branches(&heads),
            });
        };
        let local = repo.refname_to_id(&wanted).ok();
        let downloaded = local != Some(commit) && repo.find_commit(commit).is_err();
        if downloaded {
            let mut options = FetchOptions::new();
            options.remote_callbacks(callbacks(&self.shown));
            options.download_tags(git2::AutotagOption::None);
            let refspec = format!("+{wanted}:{wanted}");
            connection
                .remote()
                .download(&[refspec.as_str()], Some(&mut options))
                .map_err(failed)?;
        }
        drop(connection);
        if local != Some(commit) {
            let local_failed = |doing| {
                move |source| SourceError::Git {
                    doing,
                    repo: self.clone_dir.clone(),
                    source,
                }
            };
            repo.reference(&wanted, commit, true, "quire: fetched")
                .map_err(local_failed("moving the branch to the fetched commit"))?;
            repo.set_head(&wanted)
                .map_err(local_failed("pointing HEAD at the served branch"))?;
        }
        Ok(Fetched {
            branch,
            commit,
            downloaded,
        })
    }

    /// Downloads every branch (kept under [`super::FETCHED_HEADS`], beside the served one)
    /// and every tag of the remote into the clone: for `at(ref:)` of a ref not fetched yet.
    ///
    /// # Errors
    /// [`SourceError`] when the remote cannot be reached or refuses the credentials.
    pub(crate) fn fetch_refs(&self) -> Result<(), SourceError> {
        let repo = self.claimed()?;
        let failed = |source| self.unreachable(source);
        let mut remote = repo.remote_anonymous(&self.url).map_err(failed)?;
        let mut options = FetchOptions::new();
        options.remote_callbacks(callbacks(&self.shown));
        options.download_tags(git2::AutotagOption::None);
        let heads = format!("+refs/heads/*:{}*", super::FETCHED_HEADS);
        remote
            .fetch(
                &[heads.as_str(), "+refs/tags/*:refs/tags/*"],
                Some(&mut options),
                None,
            )
            .map_err(failed)
    }

    /// The clone, made this process's alone (and created when there is none yet).
    fn claimed(&self) -> Result<Repository, SourceError> {
        self.claim()?;
        super::configure_git();
        self.open_or_init()
    }

    /// `source`, from talking to the remote, as the error that names it.
    fn unreachable(&self, source: git2::Error) -> SourceError {
        SourceError::Fetch {
            url: self.shown.clone(),
            source,
        }
    }

    /// Makes the clone this process's alone, once: an exclusive lock on a file in it, held
    /// until the process ends. Then no other process can be writing to the clone, so git lock
    /// files found there were left by a process killed mid-fetch; they would make every later
    /// fetch fail, and are removed.
    ///
    /// # Errors
    /// [`SourceError::CloneInUse`] when another process holds the lock, [`SourceError::DataDir`]
    /// when the lock file cannot be created.
    fn claim(&self) -> Result<(), SourceError> {
        let mut claim = self.claim.lock().unwrap_or_else(PoisonError::into_inner);
        if claim.is_some() {
            return Ok(());
        }
        let data_dir = |source| SourceError::DataDir {
            path: self.clone_dir.clone(),
            source,
        };
        std::fs::create_dir_all(&self.clone_dir).map_err(data_dir)?;
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.clone_dir.join(CLAIM_FILE))
            .map_err(data_dir)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(SourceError::CloneInUse {
                    path: self.clone_dir.clone(),
                });
            }
            Err(std::fs::TryLockError::Error(err)) => return Err(data_dir(err)),
        }
        for stale in stale_git_locks(&self.clone_dir) {
            match std::fs::remove_file(&stale) {
                Ok(()) => tracing::warn!(
                    "removed {}, left by a Quire stopped in the middle of a fetch",
                    stale.display()
                ),
                Err(err) => tracing::warn!("cannot remove {}: {err}", stale.display()),
            }
        }
        *claim = Some(file);
        Ok(())
    }

    /// The clone, created when missing; its folder exists once [`Remote::claim`] has run.
    fn open_or_init(&self) -> Result<Repository, SourceError> {
        if let Ok(repo) = Repository::open_bare(&self.clone_dir) {
            return Ok(repo);
        }
        tracing::info!("cloning {} into {}", self.shown, self.clone_dir.display());
        Repository::init_bare(&self.clone_dir).map_err(|source| SourceError::Git {
            doing: "creating the clone",
            repo: self.clone_dir.clone(),
            source,
        })
    }
}

/// The branches among the refs a remote advertised, for an error message.
fn branches(heads: &[(String, Oid)]) -> String {
    let mut names: Vec<&str> = heads
        .iter()
        .filter_map(|(n, _)| n.strip_prefix("refs/heads/"))
        .collect();
    names.sort_unstable();
    if names.is_empty() {
        "(none: the remote has no branches)".to_owned()
    } else {
        super::git::listed(&names)
    }
}

/// Git's lock files in a bare clone: `HEAD.lock`, `config.lock`, `packed-refs.lock` and the
/// like at the top, and `<ref>.lock` anywhere under `refs/`.
fn stale_git_locks(clone_dir: &Path) -> Vec<PathBuf> {
    let is_lock = |path: &Path| {
        path.extension().is_some_and(|e| e == "lock")
            && path.file_name().is_some_and(|n| n != CLAIM_FILE)
    };
    let mut found = Vec::new();
    let mut dirs = vec![clone_dir.join("refs")];
    let top = std::fs::read_dir(clone_dir).into_iter().flatten().flatten();
    found.extend(top.map(|e| e.path()).filter(|p| p.is_file() && is_lock(p)));
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if is_lock(&path) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Credentials from the environment, and progress in the log at most once a second.
fn callbacks(shown: &str) -> RemoteCallbacks<'static> {
    let mut callbacks = RemoteCallbacks::new();
    let mut attempts = 0;
    callbacks.credentials(move |_url, username, allowed| {
        attempts += 1;
        if attempts > 3 {
            return Err(git2::Error::from_str(
                "the remote refused the credentials: check QUIRE_GIT_USERNAME / QUIRE_GIT_PASSWORD, QUIRE_SSH_KEY or the ssh agent",
            ));
        }
        credentials(username, allowed)
    });
    let shown = shown.to_owned();
    let mut last = Instant::now();
    let mut said_done = false;
    callbacks.transfer_progress(move |progress| {
        let done = progress.received_objects() == progress.total_objects();
        let finish = done && !said_done && progress.total_objects() > 1000;
        if (!done && last.elapsed() >= Duration::from_secs(1)) || finish {
            last = Instant::now();
            said_done |= done;
            tracing::info!(
                "fetching {shown}: {}/{} objects received, {} MiB",
                progress.received_objects(),
                progress.total_objects(),
                progress.received_bytes() / (1024 * 1024),
            );
        }
        true
    });
    callbacks
}

fn credentials(username: Option<&str>, allowed: CredentialType) -> Result<Cred, git2::Error> {
    let env = |name| std::env::var(name).ok().filter(|v| !v.is_empty());
    if allowed.contains(CredentialType::USER_PASS_PLAINTEXT)
        && let Some(password) = env("QUIRE_GIT_PASSWORD")
    {
        let user = env("QUIRE_GIT_USERNAME")
            .or_else(|| username.map(str::to_owned))
            .unwrap_or_else(|| "git".to_owned());
        return Cred::userpass_plaintext(&user, &password);
    }
    let user = username.unwrap_or("git");
    if allowed.contains(CredentialType::SSH_KEY) {
        return match env("QUIRE_SSH_KEY") {
            Some(key) => Cred::ssh_key(
                user,
                None,
                Path::new(&key),
                env("QUIRE_SSH_KEY_PASSPHRASE").as_deref(),
            ),
            None => Cred::ssh_key_from_agent(user),
        };
    }
    if allowed.contains(CredentialType::USERNAME) {
        return Cred::username(user);
    }
    Err(git2::Error::from_str(
        "the remote asks for credentials: put them in the URL, or set QUIRE_GIT_USERNAME and QUIRE_GIT_PASSWORD (a token works as the password), or QUIRE_SSH_KEY for ssh",
    ))
}

/// `https://user:token@host/x` -> `https://user:***@host/x`; `https://token@host/x` (a token
/// given as the user name, which GitHub accepts) -> `https://***@host/x`.
fn hide_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        Ok(mut parsed)
            if !parsed.username().is_empty() && matches!(parsed.scheme(), "http" | "https") =>
        {
            let _ = parsed.set_username("***");
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn credential_env_lists_every_variable_read() {
        let source = include_str!("remote.rs");
        let mut read: Vec<&str> = source
            .match_indices("env(\"QUIRE_")
            .map(|(at, _)| {
                let name = &source[at + 5..];
                &name[..name.find('"').unwrap()]
            })
            .collect();
        read.sort_unstable();
        read.dedup();
        let mut listed = super::CREDENTIAL_ENV.to_vec();
        listed.sort_unstable();
        assert_eq!(read, listed);
    }

    use super::*;

    #[test]
    fn tells_urls_from_paths() {
        for url in [
            "https://github.com/owner/blog.git",
            "ssh://git@example.com/blog",
            "file:///srv/blog.git",
            "git@github.com:owner/blog.git",
        ] {
            assert!(is_url(url), "{url}");
        }
        for path in ["content", "/srv/blog", "./blog:old", "C:", "dir/a@b:c"] {
            assert!(!is_url(path), "{path}");
        }
    }

    #[test]
    fn speaks_https_and_ssh_without_system_libraries() {
        let version = git2::Version::get();
        assert!(version.https(), "libgit2 was built without HTTPS");
        assert!(version.ssh(), "libgit2 was built without SSH");
    }

    /// Commits one file on `main` of `repo` and returns the commit.
    fn commit(repo: &Repository, content: &str) -> Oid {
        let blob = repo.blob(content.as_bytes()).unwrap();
        let mut tree = repo.treebuilder(None).unwrap();
        tree.insert("post.md", blob, 0o100_644).unwrap();
        let tree = repo.find_tree(tree.write().unwrap()).unwrap();
        let sig = git2::Signature::now("Test", "test@example.com").unwrap();
        let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<_> = parent.iter().collect();
        repo.commit(Some("HEAD"), &sig, &sig, "commit", &tree, &parents)
            .unwrap()
    }

    #[test]
    fn one_process_per_clone_and_a_killed_ones_locks_are_cleared() {
        let origin_dir = tempfile::tempdir().unwrap();
        let origin = Repository::init_bare(origin_dir.path()).unwrap();
        commit(&origin, "one");
        let data = tempfile::tempdir().unwrap();
        let url = format!("file://{}", origin_dir.path().display());
        let first = Remote::new(&url, data.path());
        first.fetch(Some("master")).unwrap();

        // A second process with the same data directory is refused while the first runs.
        let second = Remote::new(&url, data.path());
        let err = second.fetch(Some("master")).unwrap_err();
        assert!(matches!(err, SourceError::CloneInUse { .. }), "{err}");
        assert!(err.to_string().contains("its own --data-dir"), "{err}");

        // The first is killed while moving the branch: git's lock file stays behind.
        drop(first);
        let clone = second.clone_dir().to_owned();
        std::fs::write(clone.join("refs/heads/master.lock"), "").unwrap();
        std::fs::write(clone.join("packed-refs.lock"), "").unwrap();
        let moved = commit(&origin, "two");
        let fetched = second.fetch(Some("master")).unwrap();
        assert_eq!((fetched.commit, fetched.downloaded), (moved, true));
        assert!(stale_git_locks(&clone).is_empty());
        assert!(clone.join(CLAIM_FILE).exists(), "the claim itself stays");
    }

    #[test]
    fn clones_once_then_downloads_only_what_moved() {
        let origin_dir = tempfile::tempdir().unwrap();
        let mut options = git2::RepositoryInitOptions::new();
        options.bare(true).initial_head("trunk");
        let origin = Repository::init_opts(origin_dir.path(), &options).unwrap();
        let first = commit(&origin, "one");
        let data = tempfile::tempdir().unwrap();
        let remote = Remote::new(
            &format!("file://{}", origin_dir.path().display()),
            data.path(),
        );
        assert!(!remote.is_cloned());

        // The remote's default branch is followed when none is given.
        let fetched = remote.fetch(None).unwrap();
        assert_eq!(
            (fetched.branch.as_str(), fetched.commit, fetched.downloaded),
            ("trunk", first, true)
        );
        assert!(remote.is_cloned());
        assert!(!remote.fetch(None).unwrap().downloaded, "nothing moved");

        let second = commit(&origin, "two");
        let fetched = remote.fetch(Some("trunk")).unwrap();
        assert_eq!((fetched.commit, fetched.downloaded), (second, true));

        // Back to a commit the clone has: the branch moves, nothing is downloaded.
        origin
            .reference("refs/heads/trunk", first, true, "force-push")
            .unwrap();
        let fetched = remote.fetch(Some("trunk")).unwrap();
        assert_eq!((fetched.commit, fetched.downloaded), (first, false));
        let clone = Repository::open_bare(remote.clone_dir()).unwrap();
        assert_eq!(clone.refname_to_id("refs/heads/trunk").unwrap(), first);

        let err = remote.fetch(Some("main")).unwrap_err().to_string();
        assert!(
            err.contains("branch `main` does not exist on file://"),
            "{err}"
        );
        assert!(err.contains("one of: trunk"), "{err}");
    }

    #[test]
    fn a_remote_whose_default_branch_was_deleted_names_the_branches_that_exist() {
        let origin_dir = tempfile::tempdir().unwrap();
        let origin = Repository::init_bare(origin_dir.path()).unwrap();
        let first = commit(&origin, "one");
        origin
            .branch("dev", &origin.find_commit(first).unwrap(), false)
            .unwrap();
        origin
            .find_reference("refs/heads/master")
            .unwrap()
            .delete()
            .unwrap();
        let data = tempfile::tempdir().unwrap();
        let url = format!("file://{}", origin_dir.path().display());
        let err = Remote::new(&url, data.path()).fetch(None).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "{url} names no default branch (its HEAD names a branch that was deleted): pass --branch with one of: dev"
            )
        );
    }

    #[test]
    fn hides_passwords_and_names_the_clone_after_the_url() {
        let data = Path::new("/data");
        let remote = Remote::new("https://me:s3cret@example.com/owner/blog.git", data);
        assert_eq!(
            remote.to_string(),
            "https://me:***@example.com/owner/blog.git"
        );
        assert!(!format!("{remote:?}").contains("s3cret"));
        let token = Remote::new("https://ghp_t0ken@github.com/owner/blog.git", data);
        assert_eq!(token.to_string(), "https://***@github.com/owner/blog.git");
        let ssh = Remote::new("ssh://git@example.com/blog.git", data);
        assert_eq!(ssh.to_string(), "ssh://git@example.com/blog.git");
        let dir = remote.clone_dir().to_str().unwrap();
        assert!(dir.starts_with("/data/repos/blog-"), "{dir}");
        assert!(dir.ends_with(".git"), "{dir}");
        // Rotating the token keeps the clone; another repository gets another one.
        let rotated = Remote::new("https://me:n3w@example.com/owner/blog.git", data);
        assert_eq!(rotated.clone_dir(), remote.clone_dir());
        let other = Remote::new("https://example.com/other/blog.git", data);
        assert_ne!(other.clone_dir(), remote.clone_dir());
    }
}
