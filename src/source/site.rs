//! The Hugo site configuration of a commit: found beside the content (`hugo.toml`,
//! `config.yaml`, `config/_default/*.toml`, ...), read from the commit's tree like the posts,
//! and parsed by [`crate::content::read_site_config`]. It decides where the posts are (its
//! `contentDir` and languages' folders) and how their URLs are made.

use std::hash::{Hash as _, Hasher as _};
use std::path::Path;

use git2::{ObjectType, Repository, Tree};

use super::git::{SourceError, failed};
use super::names::unsafe_name;
use crate::content::{self, SiteConfig};

/// The site configuration found in a commit, if any.
#[derive(Debug, Clone, Default)]
pub(crate) struct Site {
    /// Folder of the repository the configuration was looked for in (`""` for the root).
    pub(crate) dir: String,
    /// `None` when the folder holds no Hugo configuration.
    pub(crate) config: Option<SiteConfig>,
    /// Changes whenever a configuration file changes: a refresh reads every post again then.
    pub(crate) fingerprint: u64,
}

impl Site {
    /// The folder the posts are read from when `--root` is not given: the configuration's
    /// `contentDir`, or the folder holding every language's content folder; `None` without a
    /// configuration.
    pub(crate) fn content_root(&self) -> Option<String> {
        let config = self.config.as_ref()?;
        let mut dirs = vec![config.content_dir.as_str()];
        dirs.extend(
            config
                .languages
                .iter()
                .filter_map(|l| l.content_dir.as_deref()),
        );
        let mut common: Vec<&str> = split(dirs[0]);
        for dir in &dirs[1..] {
            let parts = split(dir);
            let same = common
                .iter()
                .zip(&parts)
                .take_while(|(a, b)| a == b)
                .count();
            common.truncate(same);
        }
        Some(join(&self.dir, &common.join("/")))
    }

    /// `relative` (a folder of the configuration) from the repository root.
    pub(crate) fn path(&self, relative: &str) -> String {
        join(&self.dir, relative)
    }
}

fn split(dir: &str) -> Vec<&str> {
    dir.split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect()
}

fn join(dir: &str, relative: &str) -> String {
    let parts: Vec<&str> = split(dir).into_iter().chain(split(relative)).collect();
    parts.join("/")
}

/// Reads the configuration in `site_dir` of `tree`, or, when there is none and `root` is
/// given, in `root`'s parent folder (Hugo keeps `content/` beside its configuration).
///
/// # Errors
/// [`SourceError::SiteConfig`] when a configuration file cannot be read as one; git errors.
pub(crate) fn read(
    repo: &Repository,
    tree: &Tree<'_>,
    site_dir: Option<&str>,
    root: Option<&str>,
) -> Result<Site, SourceError> {
    let mut candidates = vec![site_dir.unwrap_or("").to_owned()];
    if site_dir.is_none()
        && let Some(root) = root
    {
        let parent = root.rsplit_once('/').map_or("", |(parent, _)| parent);
        if !parent.is_empty() {
            candidates.insert(0, parent.to_owned());
        }
    }
    for dir in candidates {
        let files = config_files(repo, tree, &dir)?;
        if files.is_empty() {
            continue;
        }
        let mut hasher = std::hash::DefaultHasher::new();
        for (path, blob, _) in &files {
            (path, blob.as_bytes()).hash(&mut hasher);
        }
        let named: Vec<(String, Vec<u8>)> = files.into_iter().map(|(p, _, b)| (p, b)).collect();
        let config = content::read_site_config(&named).map_err(|e| SourceError::SiteConfig {
            dir: if dir.is_empty() {
                "/".into()
            } else {
                dir.clone()
            },
            message: e.to_string(),
        })?;
        if config.is_some() {
            return Ok(Site {
                dir,
                config,
                fingerprint: hasher.finish(),
            });
        }
    }
    Ok(Site::default())
}

/// The configuration files of folder `dir`: `(path relative to dir, blob, bytes)`.
fn config_files(
    repo: &Repository,
    tree: &Tree<'_>,
    dir: &str,
) -> Result<Vec<(String, git2::Oid, Vec<u8>)>, SourceError> {
    let folder = if dir.is_empty() {
        Some(tree.clone())
    } else {
        subtree(repo, tree, dir)?
    };
    let Some(folder) = folder else {
        return Ok(Vec::new());
    };
    let mut found = Vec::new();
    let mut add = |name: String, entry: &git2::TreeEntry<'_>| -> Result<(), SourceError> {
        let regular = entry.kind() == Some(ObjectType::Blob)
            && entry.filemode() != i32::from(git2::FileMode::Link);
        if regular && content::is_config_file(&name) {
            let blob = repo
                .find_blob(entry.id())
                .map_err(failed(repo, "reading the site configuration"))?;
            found.push((name, entry.id(), blob.content().to_vec()));
        }
        Ok(())
    };
    for entry in folder.iter() {
        if let Some(name) = entry
            .name()
            .ok()
            .filter(|n| unsafe_name(n.as_bytes()).is_none())
        {
            add(name.to_owned(), &entry)?;
        }
    }
    if let Some(defaults) = subtree(repo, &folder, "config/_default")? {
        for entry in defaults.iter() {
            if let Some(name) = entry
                .name()
                .ok()
                .filter(|n| unsafe_name(n.as_bytes()).is_none())
            {
                add(format!("config/_default/{name}"), &entry)?;
            }
        }
    }
    Ok(found)
}

fn subtree<'r>(
    repo: &'r Repository,
    tree: &Tree<'_>,
    path: &str,
) -> Result<Option<Tree<'r>>, SourceError> {
    tree.get_path(Path::new(path))
        .ok()
        .filter(|e| e.kind() == Some(ObjectType::Tree))
        .map(|e| repo.find_tree(e.id()))
        .transpose()
        .map_err(failed(repo, "reading the site configuration's folder"))
}
