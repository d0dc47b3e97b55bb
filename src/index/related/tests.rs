use std::time::Instant;

use super::*;

/// One post of a test: its date and terms.
#[derive(Debug, Default)]
struct P {
    date: Option<&'static str>,
    keywords: Vec<&'static str>,
    categories: Vec<&'static str>,
    tags: Vec<&'static str>,
}

fn p(date: Option<&'static str>, keywords: &[&'static str], categories: &[&'static str]) -> P {
    P {
        date,
        keywords: keywords.to_vec(),
        categories: categories.to_vec(),
        tags: Vec::new(),
    }
}

impl P {
    fn tags(self, tags: &[&'static str]) -> P {
        P {
            tags: tags.to_vec(),
            ..self
        }
    }
}

fn build(config: &RelatedConfig, posts: &[P]) -> Related {
    let dates: Vec<_> = posts
        .iter()
        .map(|p| p.date.map(|d| PostDate::parse(d).expect(d)))
        .collect();
    Related::build(
        config,
        posts.len(),
        |i, name| match name {
            "keywords" => posts[i].keywords.as_slice(),
            "categories" => posts[i].categories.as_slice(),
            "tags" => posts[i].tags.as_slice(),
            _ => &[],
        },
        &dates,
    )
}

fn config(threshold: u8, include_newer: bool, indices: &[(&str, i32)]) -> RelatedConfig {
    RelatedConfig {
        threshold,
        include_newer,
        to_lower: false,
        indices: indices
            .iter()
            .map(|&(name, weight)| RelatedIndex::new(name, weight))
            .collect(),
    }
}

fn all(related: &Related, i: usize) -> Vec<usize> {
    related.of(i, usize::MAX)
}

#[test]
fn ranks_by_summed_weight_then_date() {
    let posts = [
        p(Some("2021-03-01"), &["rust", "async"], &["code"]),
        p(Some("2020-06-01"), &["rust"], &["life"]),
        p(Some("2020-05-01"), &[], &["code"]),
        p(Some("2020-04-01"), &["async", "rust"], &["code"]),
        p(Some("2019-01-01"), &["go"], &["code"]),
        p(None, &["rust"], &[]),
    ];
    let mut config = config(80, true, &[("keywords", 100), ("categories", 80)]);
    config.indices.push(RelatedIndex {
        pattern: Some("2006".into()),
        ..RelatedIndex::new("date", 10)
    });
    let related = build(&config, &posts);
    // Scale 0..100 (least weight 0, greatest 100). Kept when norm(sum / n) >= 80 / n.
    // For post 0:
    //   3: rust 100 + async 100 + code 80 = 280, n 3: norm 93 >= 26, kept
    //   1: rust 100, n 1: 100 >= 80, kept      5: rust 100: kept (undated: after 1)
    //   2: code 80, n 1: 80 >= 80, kept        4: code 80: kept (2019: after 2)
    assert_eq!(all(&related, 0), [3, 1, 5, 2, 4]);
    // For post 1: 3: rust 100 + year 2020 10 = 110, n 2: norm 55 >= 40; 0, 5: rust 100;
    //   2: year 2020 only, 10 < 80: left out.
    assert_eq!(all(&related, 1), [3, 0, 5]);
    // For post 2: 3: code 80 + 2020 10 = 90, n 2: norm 45 >= 40; 0, 4: code 80; 1: 10 < 80.
    assert_eq!(all(&related, 2), [3, 0, 4]);
    assert_eq!(related.of(0, 2), [3, 1]);
}

#[test]
fn divides_the_threshold_by_the_number_of_shared_terms() {
    let posts = [
        p(Some("2020-02-01"), &["a"], &[]),
        p(Some("2020-01-01"), &["a"], &[]),
        p(Some("2020-01-01"), &["b"], &[]),
        p(Some("2019-01-01"), &["a"], &[]),
    ];
    let rank = |threshold| {
        let mut config = config(threshold, true, &[("keywords", 100), ("date", 10)]);
        config.threshold = threshold;
        all(&build(&config, &posts), 0)
    };
    // 1: keyword + year: (100 + 10) / 2 = 55, kept while 55 >= threshold / 2.
    // 2: year only: 10, kept while 10 >= threshold.   3: keyword only: 100.
    assert_eq!(rank(100), [1, 3]);
    assert_eq!(rank(11), [1, 3]);
    assert_eq!(rank(10), [1, 3, 2]);
    assert_eq!(rank(0), [1, 3, 2]);
}

#[test]
fn negative_weights_widen_the_scale_and_push_down() {
    let posts = [
        p(None, &["a"], &[]).tags(&["x"]),
        p(None, &["a"], &[]).tags(&["x"]),
        p(None, &["a"], &[]),
        p(None, &[], &[]).tags(&["x"]),
        p(None, &[], &["c"]),
        p(None, &[], &["c"]),
    ];
    let related = build(
        &config(
            30,
            true,
            &[("keywords", 100), ("tags", -50), ("categories", 0)],
        ),
        &posts,
    );
    // Scale -50..100. 1: (100 - 50) / 2 = 25, norm (25 + 50) / 150 = 50 >= 15, weight 50;
    // 2: 100, norm 100; 3: -50, norm 0 < 30. Weight orders: 2 before 1.
    assert_eq!(all(&related, 0), [2, 1]);
    // Categories weigh 0: the index is off.
    assert_eq!(all(&related, 4), Vec::<usize>::new());
}

#[test]
fn leaves_newer_posts_out_unless_asked() {
    let posts = [
        p(Some("2021-01-01"), &["a"], &[]),
        p(Some("2020-01-01T10:00:00+10:00"), &["a"], &[]),
        p(Some("2020-01-01"), &["a"], &[]),
        p(None, &["a"], &[]),
    ];
    let older = build(&config(0, false, &[("keywords", 100)]), &posts);
    assert_eq!(all(&older, 0), [1, 2, 3]);
    // 1 and 2 are the same instant in two offsets: neither is newer than the other.
    assert_eq!(all(&older, 1), [2, 3]);
    assert_eq!(all(&older, 2), [1, 3]);
    // An undated post is older than all, and sees all, as Hugo's zero date does.
    assert_eq!(all(&older, 3), [0, 1, 2]);
    let newer = build(&config(0, true, &[("keywords", 100)]), &posts);
    assert_eq!(all(&newer, 1), [0, 2, 3]);
}

#[test]
fn lowercases_terms_when_asked() {
    let posts = [
        p(None, &["Rust"], &[]),
        p(None, &["rust"], &[]),
        p(None, &["RUST", "rust"], &[]),
        p(None, &["ÉTÉ"], &[]),
        p(None, &["été"], &[]),
    ];
    let exact = config(0, true, &[("keywords", 100)]);
    let related = build(&exact, &posts);
    assert_eq!(all(&related, 0), Vec::<usize>::new());
    assert_eq!(all(&related, 1), [2]);
    assert_eq!(all(&related, 3), Vec::<usize>::new());

    let everywhere = RelatedConfig {
        to_lower: true,
        ..exact.clone()
    };
    let mut one_index = exact;
    one_index.indices[0].to_lower = true;
    for config in [everywhere, one_index] {
        let related = build(&config, &posts);
        // 2 lists the term twice once lowercased: 200, ahead of 1's 100 (as in Hugo).
        assert_eq!(all(&related, 0), [2, 1]);
        assert_eq!(all(&related, 1), [2, 0]);
        assert_eq!(all(&related, 3), [4]);
    }
}

#[test]
fn date_terms_follow_the_pattern_in_the_written_offset() {
    let posts = [
        p(Some("2018-02-01"), &[], &[]),
        p(Some("2018-01-15T00:00:00Z"), &[], &[]),
        p(Some("2017-12-31T20:00:00Z"), &[], &[]),
        // 2017-12-31T13:30Z, but written in January 2018.
        p(Some("2018-01-01T00:30:00+11:00"), &[], &[]),
    ];
    let with = |pattern: Option<&str>| RelatedConfig {
        indices: vec![RelatedIndex {
            pattern: pattern.map(str::to_owned),
            ..RelatedIndex::new("Date", 10)
        }],
        ..config(0, true, &[])
    };
    let month = build(&with(Some("200601")), &posts);
    assert_eq!(all(&month, 1), [3]);
    assert_eq!(all(&month, 3), [1]);
    assert_eq!(all(&month, 0), Vec::<usize>::new());
    assert_eq!(all(&month, 2), Vec::<usize>::new());
    // No pattern: the year ("2006"), as in Hugo.
    let year = build(&with(None), &posts);
    assert_eq!(all(&year, 1), [0, 3]);
    assert_eq!(all(&year, 3), [0, 1]);
    assert_eq!(all(&year, 2), Vec::<usize>::new());
}

#[test]
fn a_post_without_terms_is_related_to_none() {
    let posts = [
        p(Some("2020-01-01"), &["a"], &["x"]),
        P::default(),
        p(Some("2019-01-01"), &["a"], &["x"]),
    ];
    let related = build(&RelatedConfig::default(), &posts);
    assert_eq!(all(&related, 1), Vec::<usize>::new());
    assert_eq!(all(&related, 0), [2]);
    assert_eq!(related.of(0, 0), Vec::<usize>::new());
    assert_eq!(related.of(3, 5), Vec::<usize>::new());
    let none = build(&RelatedConfig::default(), &[]);
    assert_eq!(none.of(0, 5), Vec::<usize>::new());
}

#[test]
fn drops_terms_above_the_cardinality_threshold() {
    let posts = [
        p(None, &[], &["common", "x"]),
        p(None, &[], &["common", "x"]),
        p(None, &[], &["common"]),
        p(None, &[], &["common"]),
        p(None, &[], &["y"]),
        P::default(),
    ];
    let mut config = config(0, true, &[("categories", 80)]);
    assert_eq!(all(&build(&config, &posts), 2), [0, 1, 3]);
    // 5 posts have categories: `common` is in 80% of them (> 40), dropped; `x` in 40%, kept.
    config.indices[0].cardinality_threshold = 40;
    let related = build(&config, &posts);
    assert_eq!(all(&related, 2), Vec::<usize>::new());
    assert_eq!(all(&related, 0), [1]);
}

/// Posts in the snapshot's order (newest first, undated last, then by slug), with their slugs.
fn ordered(mut posts: Vec<(&'static str, P)>) -> (Vec<&'static str>, Vec<P>) {
    posts.sort_by_key(|(slug, p)| {
        let instant = p.date.map(|d| PostDate::parse(d).unwrap().instant());
        (instant.is_none(), Reverse(instant), *slug)
    });
    posts.into_iter().unzip()
}

/// Made with a generator and Hugo 0.111.3 (`{{ range .Site.RegularPages.Related . }}`), with
/// the config below; titles are the slugs. Dates with an offset are all distinct: Hugo orders
/// equal ones at random (Go compares their zones by pointer).
#[test]
fn matches_hugo_on_a_generated_site() {
    let config = RelatedConfig::from_hugo(&serde_json::json!({
        "threshold": 40,
        "indices": [
            {"name": "keywords", "weight": 100, "toLower": true},
            {"name": "categories", "weight": 60},
            {"name": "tags", "weight": -20},
            {"name": "date", "weight": 20, "pattern": "200601"},
        ],
    }))
    .unwrap();
    let d = Some;
    let (slugs, posts) = ordered(vec![
        (
            "p00",
            p(d("2022-01-01"), &["Go", "async"], &["Code", "Code"]),
        ),
        (
            "p01",
            p(d("2019-12-31T23:30:00Z"), &["async"], &[]).tags(&["b", "c"]),
        ),
        (
            "p02",
            p(
                d("2020-02-01T10:02:00-05:00"),
                &["async", "rust", "Go"],
                &[],
            ),
        ),
        (
            "p03",
            p(d("2022-01-01"), &["db", "async", "Go"], &["Code"]).tags(&["d"]),
        ),
        (
            "p04",
            p(d("2021-06-01"), &["db", "web"], &["code", "life"]).tags(&["c", "d"]),
        ),
        (
            "p05",
            p(d("2020-01-01"), &["cli"], &["travel", "Code"]).tags(&["b"]),
        ),
        (
            "p06",
            p(d("2020-01-01"), &["Go", "web"], &["life"]).tags(&["c", "d"]),
        ),
        (
            "p07",
            p(d("2020-03-03"), &["go", "go", "go"], &["life", "Code"]),
        ),
        ("p08", p(d("2020-01-01"), &["db", "rust", "db"], &[])),
        (
            "p09",
            p(None, &["cli", "Go", "async"], &["travel", "life"]).tags(&["b"]),
        ),
        (
            "p10",
            p(
                d("2020-02-01T10:10:00-05:00"),
                &["async", "go"],
                &["travel", "Code"],
            )
            .tags(&["a", "a"]),
        ),
        ("p11", p(d("2022-01-01"), &["async", "Go"], &[])),
        ("p12", p(d("2020-01-01T00:12:00+11:00"), &[], &[])),
        ("p13", p(d("2020-01-01"), &[], &["life"]).tags(&["a", "a"])),
    ]);
    let hugo = "
        p00: p07 p03 p10 p11 p02 p09 p05 p06 p01
        p01: p09
        p02: p09 p06 p08 p01
        p03: p07 p00 p10 p11 p02 p08 p09 p01 p04 p06 p05
        p04: p08 p06 p07 p13 p09
        p05: p09
        p06: p09 p13
        p07: p10 p06 p09 p02 p05 p13
        p08:
        p09: p07 p10 p00 p03 p11 p02 p06 p05 p01 p04 p13
        p10: p09 p02 p05 p06 p01
        p11: p07 p00 p03 p10 p02 p09 p06 p01
        p12:
        p13: p06 p09";
    let related = build(&config, &posts);
    let mut quire: Vec<String> = (0..posts.len())
        .map(|i| {
            let list: Vec<&str> = all(&related, i).into_iter().map(|j| slugs[j]).collect();
            format!("{}: {}", slugs[i], list.join(" "))
        })
        .collect();
    quire.sort();
    let hugo: Vec<&str> = hugo.trim().lines().map(str::trim).collect();
    assert_eq!(quire.iter().map(|l| l.trim()).collect::<Vec<_>>(), hugo);
}

/// Build and query times at 10,000 posts with 3 keywords (of 2,000) and 2 categories (of 30)
/// each, one post a day: `cargo test --lib index::related::tests::measure -- --ignored
/// --nocapture`, in release mode for meaningful numbers. Prints, does not assert.
#[test]
#[ignore = "a measurement, not a check"]
fn measure() {
    let n = 10_000;
    let mut rng = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = |m: u64| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % m
    };
    let keywords: Vec<Vec<String>> = (0..n)
        .map(|_| (0..3).map(|_| format!("Keyword {}", next(2000))).collect())
        .collect();
    let categories: Vec<Vec<String>> = (0..n)
        .map(|_| (0..2).map(|_| format!("Category {}", next(30))).collect())
        .collect();
    let dates: Vec<Option<PostDate>> = (0..n)
        .map(|i| {
            let day = chrono::NaiveDate::from_ymd_opt(2030, 1, 1).unwrap()
                - chrono::Days::new(u64::try_from(i).unwrap());
            PostDate::parse(&day.to_string())
        })
        .collect();
    let build = || {
        Related::build(
            &RelatedConfig::default(),
            n,
            |i, name| match name {
                "keywords" => keywords[i].as_slice(),
                "categories" => categories[i].as_slice(),
                _ => &[],
            },
            &dates,
        )
    };
    let builds: Vec<_> = (0..5)
        .map(|_| {
            let started = Instant::now();
            drop(build());
            started.elapsed()
        })
        .collect();
    let related = build();
    let started = Instant::now();
    let found: usize = (0..n).map(|i| related.of(i, 5).len()).sum();
    let per_query = started.elapsed() / u32::try_from(n).unwrap();
    let mut times: Vec<_> = (0..n)
        .map(|i| {
            let started = Instant::now();
            related.of(i, 5);
            started.elapsed()
        })
        .collect();
    times.sort();
    let (median, p99) = (times[n / 2], times[n * 99 / 100]);
    println!(
        "build {builds:?}; of: {per_query:?} a post on average, median {median:?}, \
         99th percentile {p99:?} ({found} found)"
    );
}
