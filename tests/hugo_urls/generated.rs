//! The generated multilingual blog of `tests/hugo_urls.rs`.

use super::{Files, Site, date, q, slug, title, yaml};

/// About 160 pages in two languages, each with its own content folder (`content/en`,
/// `content/fr`; a `.fr.md` file in the English folder is French too), sections nested three
/// deep with and without `_index.md`, leaf bundles, and `[permalinks]` with most of Hugo's
/// tokens, one per top section.
pub(crate) fn generated() -> Site {
    let mut site = Files::default();
    site.file(
        "hugo.toml",
        r#"baseURL = "https://blog.example.com/"
title = "A generated blog"
defaultContentLanguage = "en"

[permalinks]
posts = "/:year/:month/:day/:slug/"
docs = "/:sections/:filename/"
notes = "/:section/:title/"
journal = "/:2006/:Jan/:02/:slugorfilename/"
archive = "/archive/:yearday/:weekday/:weekdayname/:monthname/:filename/"
manual = "/m/:sections[1:]/:slugorfilename/"

[languages.en]
weight = 1
languageName = "English"
contentDir = "content/en"

[languages.fr]
weight = 2
languageName = "Français"
contentDir = "content/fr"
"#,
    );
    site.file("README.md", "Not content: outside every content folder.\n");
    site.file(
        "content/stray.md",
        &yaml("title: Outside both content folders"),
    );
    site.published("home", "content/en/_index.md", &yaml("title: Home"));
    posts(&mut site);
    docs(&mut site);
    other_sections(&mut site);
    french(&mut site);
    site.site(
        "generated multilingual blog",
        vec![
            ("content/en/_index.md", "/"),
            ("content/fr/_index.md", "/fr/"),
            // The day where the author was, not in UTC.
            (
                "content/en/posts/post-00.md",
                "/2021/01/01/post-0-hello-world/",
            ),
            (
                "content/en/posts/post-01.md",
                "/2020/12/31/post-1-%C3%A7a-va-l%C3%A9t%C3%A9-%C3%A0-paris/",
            ),
            ("content/en/journal/entry-00.md", "/2021/jan/01/entry-00/"),
            (
                "content/en/archive/old-4.md",
                "/archive/366/4/thursday/december/old-4/",
            ),
            (
                "content/en/notes/note-01.md",
                "/notes/%C3%A7a-va-l%C3%A9t%C3%A9-%C3%A0-paris/",
            ),
            ("content/en/posts/no-date.md", "/1/01/01/no-date/"),
            ("content/en/posts/custom-url.md", "/custom/Path%20Here/"),
            (
                "content/en/posts/post-03.fr.md",
                "/fr/2018/02/28/un-billet-traduit/",
            ),
            ("content/en/docs/reference/api.md", "/docs/api/"),
            ("content/en/notes", "/notes/"),
            ("content/en/manual/top.md", "/m/top/"),
            ("content/en/Read Me Now.md", "/read-me-now/"),
        ],
    )
}

/// `posts`: `/:year/:month/:day/:slug/`, with every way a date and a slug are found, and the
/// pages Hugo does not publish.
fn posts(site: &mut Files) {
    site.section("content/en/posts/_index.md", "title: Posts");
    for i in 0..40 {
        let path = format!("content/en/posts/post-{i:02}.md");
        let slug = if i % 3 == 2 {
            format!("\nslug: {}", q(&slug("", i / 3)))
        } else {
            String::new()
        };
        if i % 5 == 4 {
            // TOML front matter, with a native datetime where TOML has one.
            let date = date(i);
            let date = if date.ends_with("+1000") {
                q(date)
            } else {
                date.to_owned()
            };
            let slug = slug.replace("slug:", "slug =");
            let text = format!(
                "+++\ntitle = {}\ndate = {date}{slug}\n+++\nText.\n",
                q(&title("Post", i))
            );
            site.published("page", &path, &text);
        } else {
            site.page(
                &path,
                &format!("title: {}\ndate: {}{slug}", q(&title("Post", i)), date(i)),
            );
        }
    }
    for i in 0..6 {
        let dir = format!("content/en/posts/bundle-{i}");
        let front = format!("title: {}\ndate: {}", q(&title("Bundle", i)), date(i + 3));
        site.page(&format!("{dir}/index.md"), &front);
        site.file(&format!("{dir}/data.txt"), "A resource of the bundle.\n");
    }
    site.page(
        "content/en/posts/bundle-1/index.fr.md",
        "title: Paquet un\ndate: 2022-02-02",
    );
    site.page(
        "content/en/posts/post-03.fr.md",
        "title: Un billet traduit\ndate: 2018-02-28",
    );
    site.page(
        "content/en/posts/custom-url.md",
        "title: Custom\ndate: 2020-01-01\nurl: /custom/Path Here/",
    );
    site.page(
        "content/en/posts/custom-file.md",
        "title: Custom file\nurl: custom.html",
    );
    site.page("content/en/posts/no-date.md", "title: No date");
    site.page(
        "content/en/posts/publish-date.md",
        "title: Published\npublishDate: 2019-03-04T08:00:00+09:00",
    );
    site.page(
        "content/en/posts/lastmod.md",
        "title: Modified\nlastmod: 2018-05-06T01:00:00+05:45",
    );
    // Not published: a draft, one never rendered, a Markdown resource of a bundle, a headless
    // bundle and its resources. (Future and expired posts are left to the publishing rules'
    // own tests: Quire applies them at query time.)
    site.file(
        "content/en/posts/draft.md",
        &yaml("title: Draft\ndate: 2020-01-01\ndraft: true"),
    );
    site.file(
        "content/en/posts/never-rendered.md",
        &yaml("title: Never rendered\ndate: 2000-01-01\n_build:\n  render: never"),
    );
    site.file(
        "content/en/posts/headless/index.md",
        &yaml("title: Headless\nheadless: true"),
    );
    // Markdown in a leaf bundle beside `index.md` is a resource of the bundle, not a page.
    site.file(
        "content/en/posts/bundle-2/extra.md",
        &yaml("title: A resource\ndate: 2020-01-01"),
    );
    site.file(
        "content/en/posts/headless/part.md",
        &yaml("title: Part of it"),
    );
}

/// `docs`: `/:sections/:filename/`, nested sections, a folder without `_index.md` (not a
/// section: its pages belong to `docs`), a leaf bundle and file names with capitals and accents.
fn docs(site: &mut Files) {
    site.section("content/en/docs/_index.md", "title: Docs");
    for name in ["intro", "setup", "faq", "über-uns"] {
        site.page(
            &format!("content/en/docs/{name}.md"),
            &format!("title: {}", q(name)),
        );
    }
    site.section("content/en/docs/guides/_index.md", "title: Guides");
    for i in 0..6 {
        site.page(
            &format!("content/en/docs/guides/guide-{i}.md"),
            &format!("title: {}", q(&title("Guide", i))),
        );
    }
    site.section(
        "content/en/docs/guides/advanced/_index.md",
        "title: Advanced",
    );
    for i in 0..4 {
        let front = format!("title: Advanced {i}\nslug: ignored-by-filename-{i}");
        site.page(
            &format!("content/en/docs/guides/advanced/Advanced-{i}.md"),
            &front,
        );
    }
    site.page(
        "content/en/docs/guides/advanced/tuning/index.md",
        "title: Tuning",
    );
    site.file(
        "content/en/docs/guides/advanced/tuning/graph.txt",
        "A resource.\n",
    );
    for name in ["api", "cli", "config"] {
        site.page(
            &format!("content/en/docs/reference/{name}.md"),
            &format!("title: {name}"),
        );
    }
    site.section("content/en/docs/tutorials/_index.md", "title: Tutorials");
    for i in 0..5 {
        let front = format!("title: Tutorial {i}\nslug: {}", q(&slug("Tutorial", i)));
        site.page(
            &format!("content/en/docs/tutorials/tutorial-{i}.md"),
            &front,
        );
    }
}

/// `notes` (`:title`, no `_index.md`), `journal` (Go date layouts), `archive` (day of the year
/// and of the week, no `_index.md`), `manual` (`:sections[1:]`), `misc` (no permalink), and
/// pages at the top.
fn other_sections(site: &mut Files) {
    site.expect("section", "content/en/notes");
    for i in 0..15 {
        site.page(
            &format!("content/en/notes/note-{i:02}.md"),
            &format!("title: {}", q(&title("", i))),
        );
    }
    site.section("content/en/journal/_index.md", "title: Journal");
    for i in 0..15 {
        let slug = if i % 2 == 1 {
            format!("\nslug: {}", q(&format!("Day {i}")))
        } else {
            String::new()
        };
        let front = format!("title: Entry {i}\ndate: {}{slug}", date(i));
        site.page(&format!("content/en/journal/entry-{i:02}.md"), &front);
    }
    site.expect("section", "content/en/archive");
    for i in 0..10 {
        let front = format!("title: Archived {i}\ndate: {}", date(i + 5));
        site.page(&format!("content/en/archive/old-{i}.md"), &front);
    }
    site.section("content/en/manual/_index.md", "title: Manual");
    site.section("content/en/manual/basics/_index.md", "title: Basics");
    site.section("content/en/manual/basics/deep/_index.md", "title: Deep");
    for (i, dir) in ["manual", "manual/basics", "manual/basics/deep"]
        .iter()
        .enumerate()
    {
        site.page(
            &format!("content/en/{dir}/top.md"),
            &format!("title: Top of {dir}"),
        );
        site.page(
            &format!("content/en/{dir}/slugged.md"),
            &format!("title: S {i}\nslug: {}", q(&slug("Manual", i))),
        );
        site.page(
            &format!("content/en/{dir}/page-{i}.md"),
            &format!("title: {}", q(&title("Manual", i + 4))),
        );
    }
    site.section("content/en/misc/_index.md", "title: Misc");
    site.file(
        "content/en/misc/banner.txt",
        "A resource of the branch bundle.\n",
    );
    site.page("content/en/misc/plain.md", "title: Plain");
    site.page(
        "content/en/misc/slugged.md",
        "title: Slugged\nslug: Custom Misc Slug",
    );
    site.page(
        "content/en/misc/custom-url.md",
        "title: Moved\nurl: /elsewhere/deeper/",
    );
    site.published(
        "page",
        "content/en/misc/untitled.md",
        "No front matter at all.\n",
    );
    site.page("content/en/misc/gallery/index.md", "title: Gallery");
    site.file("content/en/misc/gallery/photo.txt", "A resource.\n");
    site.page("content/en/about.md", "title: About");
    site.page("content/en/contact/index.md", "title: Contact");
    site.page("content/en/Read Me Now.md", "title: Read me");
}

/// French: its own content folder, with a home page and sections of its own.
fn french(site: &mut Files) {
    site.published("home", "content/fr/_index.md", &yaml("title: Accueil"));
    site.section("content/fr/posts/_index.md", "title: Billets");
    let titles = [
        "Œuvre à la française",
        "L’hiver à Montréal",
        "Ça marche !",
        "Déjà-vu",
    ];
    for i in 0..8 {
        let front = format!(
            "title: {}\ndate: {}",
            q(&format!("{} {i}", titles[i % 4])),
            date(i)
        );
        site.page(&format!("content/fr/posts/billet-{i}.md"), &front);
    }
    site.page(
        "content/fr/posts/ailleurs.md",
        "title: Ailleurs\nurl: /ailleurs/",
    );
    site.section("content/fr/docs/_index.md", "title: Documentation");
    site.page("content/fr/docs/demarrage.md", "title: Démarrage");
    site.section("content/fr/docs/guides/_index.md", "title: Guides");
    site.page("content/fr/docs/guides/premier.md", "title: Premier guide");
    site.file(
        "content/fr/docs/brouillon.md",
        &yaml("title: Brouillon\ndraft: true"),
    );
}
