//! The order a history walk reads commits in: every commit after all of its children, and
//! among those the newest first, as `git log --topo-order` lists them. Worked out from the
//! commits' parents before any is diffed, so that a commit that cannot be read ends its line
//! of history instead of the walk.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};

use git2::{Oid, Repository};

/// The commits reachable from `head` but not from `base`, in walk order; `None` when git
/// cannot list them (an object is missing).
pub(super) fn since(repo: &Repository, head: Oid, base: Oid) -> Option<Vec<Oid>> {
    let mut walk = repo.revwalk().ok()?;
    walk.push(head).ok()?;
    walk.hide(base).ok()?;
    let ids: HashSet<Oid> = walk.collect::<Result<_, _>>().ok()?;
    let nodes = ids
        .iter()
        .map(|&id| {
            let commit = repo.find_commit(id).ok()?;
            let parents = commit.parent_ids().filter(|p| ids.contains(p)).collect();
            Some((id, (commit.time().seconds(), parents)))
        })
        .collect::<Option<_>>()?;
    Some(ordered(nodes))
}

/// A commit of a walk: its commit time and its parents that are in the walk.
pub(super) type Nodes = HashMap<Oid, (i64, Vec<Oid>)>;

/// Every commit reachable from `head` that can be read (a missing one ends its line).
pub(super) fn reachable(repo: &Repository, head: Oid) -> Nodes {
    let mut nodes = Nodes::new();
    let mut queue = vec![head];
    let mut seen: HashSet<Oid> = HashSet::from([head]);
    while let Some(id) = queue.pop() {
        let Ok(commit) = repo.find_commit(id) else {
            continue;
        };
        let parents: Vec<Oid> = commit.parent_ids().collect();
        queue.extend(parents.iter().filter(|&&p| seen.insert(p)));
        nodes.insert(id, (commit.time().seconds(), parents));
    }
    // A parent that could not be read is not in the walk.
    let present: HashSet<Oid> = nodes.keys().copied().collect();
    for (_, parents) in nodes.values_mut() {
        parents.retain(|p| present.contains(p));
    }
    nodes
}

/// `nodes` with every commit after all of its children, and among those ready the newest (by
/// commit time) first, the first made ready on a tie.
pub(super) fn ordered(nodes: Nodes) -> Vec<Oid> {
    let mut children: HashMap<Oid, usize> = nodes.keys().map(|&id| (id, 0)).collect();
    for (_, parents) in nodes.values() {
        for parent in parents {
            *children.get_mut(parent).expect("parents are in the walk") += 1;
        }
    }
    let mut seq = 0_u64;
    let mut ready: BinaryHeap<(i64, Reverse<u64>, Oid)> = BinaryHeap::new();
    let mut roots: Vec<_> = children.iter().filter(|&(_, &n)| n == 0).collect();
    roots.sort_unstable_by_key(|&(id, _)| (Reverse(nodes[id].0), *id));
    for (&id, _) in roots {
        ready.push((nodes[&id].0, Reverse(seq), id));
        seq += 1;
    }
    let mut order = Vec::with_capacity(nodes.len());
    while let Some((_, _, id)) = ready.pop() {
        order.push(id);
        for parent in &nodes[&id].1 {
            let left = children.get_mut(parent).expect("parents are in the walk");
            *left -= 1;
            if *left == 0 {
                ready.push((nodes[parent].0, Reverse(seq), *parent));
                seq += 1;
            }
        }
    }
    order
}
