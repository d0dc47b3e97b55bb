//! What Hugo 0.111.3 printed as `.RelPermalink` for every page of these sites, built in /tmp with
//! the same config and files (front matter in YAML, dates unquoted), against what `url` gives.

use std::collections::{BTreeMap, BTreeSet};

use super::kind_of;
use crate::content::date::PostDate;
use crate::content::permalink::{PageInfo, Pattern, UrlRules, url};

/// One site built with Hugo: its config and the pages whose URLs Hugo printed.
struct Site {
    name: &'static str,
    ugly: bool,
    /// Defined languages, default first; empty for a one-language site.
    languages: &'static [&'static str],
    default_in_subdir: bool,
    permalinks: &'static [(&'static str, &'static str)],
    pages: &'static [Case],
}

/// One content file and the URL Hugo gave it.
struct Case {
    path: &'static str,
    title: &'static str,
    slug: Option<&'static str>,
    url: Option<&'static str>,
    date: Option<&'static str>,
    hugo: &'static str,
}

#[rustfmt::skip]
const HUGO_SITES: &[Site] = &[
    Site {
        name: "defaults",
        ugly: false,
        languages: &[],
        default_in_subdir: false,
        permalinks: &[],
        pages: &[
            Case { path: "_index.md", title: "Home", slug: None, url: Some("/homeurl/"), date: None, hugo: "/" },
            Case { path: "posts/hello.md", title: "Hello World", slug: None, url: None, date: Some("2021-03-07T23:30:00-05:00"), hugo: "/posts/hello/" },
            Case { path: "posts/slugged.md", title: "Hi", slug: Some("My Slug"), url: None, date: None, hugo: "/posts/my-slug/" },
            Case { path: "posts/2020/nested.md", title: "Nested", slug: None, url: None, date: None, hugo: "/posts/2020/nested/" },
            Case { path: "posts/trip/index.md", title: "Trip", slug: None, url: None, date: None, hugo: "/posts/trip/" },
            Case { path: "posts/trip2/index.md", title: "Trip", slug: Some("Trip Slug"), url: None, date: None, hugo: "/posts/trip-slug/" },
            Case { path: "posts/slash.md", title: "", slug: Some("a/B c/d"), url: None, date: None, hugo: "/posts/a/b-c/d/" },
            Case { path: "posts/dash.md", title: "", slug: Some("-dash-"), url: None, date: None, hugo: "/posts/dash/" },
            Case { path: "posts/spaced.md", title: "", slug: Some(" x y "), url: None, date: None, hugo: "/posts/-x-y-/" },
            Case { path: "posts/idx.md", title: "", slug: Some("index"), url: None, date: None, hugo: "/posts/" },
            Case { path: "posts/cpp.md", title: "", slug: Some("C++ & Ünï"), url: None, date: None, hugo: "/posts/c++-%C3%BCn%C3%AF/" },
            Case { path: "posts/hash.md", title: "", slug: Some("c# tips"), url: None, date: None, hugo: "/posts/c#-tips/" },
            Case { path: "posts/pct.md", title: "", slug: Some("100% sure %41"), url: None, date: None, hugo: "/posts/100-sure-%41/" },
            Case { path: "posts/dotdot.md", title: "", slug: Some("../escape"), url: None, date: None, hugo: "/escape/" },
            Case { path: "posts/dots.v1.2.md", title: "", slug: None, url: None, date: None, hugo: "/posts/dots.v1.2/" },
            Case { path: "posts/Café Ça.md", title: "", slug: None, url: None, date: None, hugo: "/posts/caf%C3%A9-%C3%A7a/" },
            Case { path: "posts/Hello (World)! [1] {x}.md", title: "", slug: None, url: None, date: None, hugo: "/posts/hello-world-1-x/" },
            Case { path: "docs/_index.md", title: "Docs", slug: None, url: None, date: None, hugo: "/docs/" },
            Case { path: "docs/sub/_index.md", title: "Sub", slug: Some("ignored"), url: None, date: None, hugo: "/docs/sub/" },
            Case { path: "docs/sub/page.md", title: "SubPage", slug: None, url: None, date: None, hugo: "/docs/sub/page/" },
            Case { path: "Root Page.md", title: "Root", slug: None, url: None, date: None, hugo: "/root-page/" },
            Case { path: "Big Folder/_index.md", title: "", slug: None, url: None, date: None, hugo: "/big-folder/" },
            Case { path: "Big Folder/Ünïcödé File+x%41 #1 (copy).v2.md", title: "", slug: None, url: None, date: None, hugo: "/big-folder/%C3%BCn%C3%AFc%C3%B6d%C3%A9-file+xA-#1-copy.v2/" },
            Case { path: "v1.0/_index.md", title: "", slug: None, url: None, date: None, hugo: "/v1.0/" },
            Case { path: "weird/index/_index.md", title: "", slug: None, url: None, date: None, hugo: "/weird/index/" },
            Case { path: "leafroot/index.md", title: "", slug: None, url: None, date: None, hugo: "/leafroot/" },
            Case { path: "about/_index.md", title: "", slug: None, url: Some("/Caps Section/"), date: None, hugo: "/caps-section/" },
            Case { path: "blog/u1.md", title: "", slug: None, url: Some("/custom/Path With Space/"), date: None, hugo: "/custom/Path%20With%20Space/" },
            Case { path: "blog/u2.md", title: "", slug: None, url: Some("/custom/file.HTML"), date: None, hugo: "/custom/file.HTML" },
            Case { path: "blog/u3.md", title: "", slug: None, url: Some("relative/noslash"), date: None, hugo: "/relative/noslash/" },
            Case { path: "blog/u4.md", title: "", slug: None, url: Some("/a/café?x=1#frag"), date: None, hugo: "/a/caf%C3%A9?x=1#frag/" },
            Case { path: "blog/u5.md", title: "", slug: None, url: Some("/v1.2/thing"), date: None, hugo: "/v1.2/thing" },
            Case { path: "blog/u6.md", title: "", slug: None, url: Some(""), date: None, hugo: "/blog/u6/" },
            Case { path: "blog/u7.md", title: "", slug: None, url: Some("/"), date: None, hugo: "/" },
            Case { path: "blog/u8.md", title: "", slug: None, url: Some("/abs3"), date: None, hugo: "/abs3/" },
            Case { path: "blog/u9.md", title: "", slug: None, url: Some("HTTPS://x.com/a/"), date: None, hugo: "/HTTPS:/x.com/a/" },
            Case { path: "blog/u10.md", title: "", slug: None, url: Some("//x.com/a/"), date: None, hugo: "/x.com/a/" },
            Case { path: "blog/u11.md", title: "", slug: None, url: Some("/a/../b/./c/"), date: None, hugo: "/b/c/" },
            Case { path: "blog/u12.md", title: "", slug: None, url: Some("/a%20b/%C3%A9/"), date: None, hugo: "/a%20b/%C3%A9/" },
            Case { path: "blog/u13.md", title: "", slug: None, url: Some("/x#"), date: None, hugo: "/x#/" },
        ],
    },
    Site {
        name: "permalinks",
        ugly: false,
        languages: &[],
        default_in_subdir: false,
        permalinks: &[("perm", "/:year/:month/:monthname/:day/:weekday/:weekdayname/:yearday/:slug/"), ("sect", "/:section/:sections/:sections[1:]/:sections[last]/:sections[0]/:sections[:last]/:filename/"), ("sect2", "/:sections/:sections[last]/:sections[0]/:sections[5:]/:sections[-1]/:sections[abc]/:sections[1:2:3]/:sections[LAST]/"), ("goda", "/:2006/:06/:01/:1/:Jan/:January/:02/:2/:_2/:__2/:002/:Mon/:Monday/:15/:3/:03/:4/:04/:5/:05/:MST/:Z0700/:Z07/:Z070000/"), ("slug", "/s/:slug/:slugorfilename/:title/x"), ("odd", "/:slug+x/:Jan2/:Month1/:_2006/:slug[1]/:JanX/:MonX/"), ("html", "/:year/:slug.html"), ("noslash", ":year/:slug"), ("nodate", "/:year/:2006/:06/:MST/:monthname/:weekdayname/:yearday/"), ("100%", "/:section/:slug/"), ("pct", "/pct/:slug/"), ("/", "/root/:slug/"), ("Caps", "/caps/:slug/"), ("Perm2 ", "/perm2/:slug/")],
        pages: &[
            Case { path: "perm/p.md", title: "Hello World", slug: None, url: None, date: Some("2021-03-07T23:30:00-05:00"), hugo: "/2021/03/march/07/0/sunday/66/hello-world/" },
            Case { path: "perm/q.md", title: "", slug: Some("Q Slug"), url: None, date: Some("2021-03-08T01:30:00+11:00"), hugo: "/2021/03/march/08/1/monday/67/q-slug/" },
            Case { path: "perm/b/index.md", title: "Bundle B", slug: None, url: None, date: Some("2020-02-29"), hugo: "/2020/02/february/29/6/saturday/60/bundle-b/" },
            Case { path: "perm/url.md", title: "U", slug: None, url: Some("/from-url/"), date: Some("2021-03-07T23:30:00-05:00"), hugo: "/from-url/" },
            Case { path: "sect/x.md", title: "", slug: None, url: None, date: None, hugo: "/sect/sect/sect/sect/x/" },
            Case { path: "sect/a/_index.md", title: "", slug: None, url: None, date: None, hugo: "/sect/a/" },
            Case { path: "sect/a/z.md", title: "", slug: None, url: None, date: None, hugo: "/sect/sect/a/a/a/sect/sect/z/" },
            Case { path: "sect/a/b/_index.md", title: "", slug: None, url: None, date: None, hugo: "/sect/a/b/" },
            Case { path: "sect/a/b/y.md", title: "", slug: None, url: None, date: None, hugo: "/sect/sect/a/b/a/b/b/sect/sect/a/y/" },
            Case { path: "sect/a/c/w.md", title: "", slug: None, url: None, date: None, hugo: "/sect/sect/a/a/a/sect/sect/w/" },
            Case { path: "sect/a/b/bun/index.md", title: "", slug: None, url: None, date: None, hugo: "/sect/sect/a/b/a/b/b/sect/sect/a/bun/" },
            Case { path: "sect2/_index.md", title: "", slug: None, url: None, date: None, hugo: "/sect2/" },
            Case { path: "sect2/x.md", title: "", slug: None, url: None, date: None, hugo: "/sect2/sect2/sect2/sect2/sect2/sect2/" },
            Case { path: "sect2/a/_index.md", title: "", slug: None, url: None, date: None, hugo: "/sect2/a/" },
            Case { path: "sect2/a/y.md", title: "", slug: None, url: None, date: None, hugo: "/sect2/a/a/sect2/sect2/sect2/a/a/" },
            Case { path: "goda/g.md", title: "", slug: None, url: None, date: Some("2021-03-07T23:30:00-05:00"), hugo: "/2021/21/03/3/mar/march/07/7/-7/-66/066/sun/sunday/23/11/11/30/30/0/00/-0500/-0500/-05/-050000/" },
            Case { path: "goda/h.md", title: "", slug: None, url: None, date: Some("2020-12-31T09:05:07Z"), hugo: "/2020/20/12/12/dec/december/31/31/31/366/366/thu/thursday/09/9/09/5/05/7/07/utc/z/z/z/" },
            Case { path: "goda/i.md", title: "", slug: None, url: None, date: Some("2021-01-01"), hugo: "/2021/21/01/1/jan/january/01/1/-1/-1/001/fri/friday/00/12/12/0/00/0/00/utc/z/z/z/" },
            Case { path: "goda/j.md", title: "", slug: None, url: None, date: Some("2021-07-04T15:04:05+05:30"), hugo: "/2021/21/07/7/jul/july/04/4/-4/185/185/sun/sunday/15/3/03/4/04/5/05/-0530/-0530/-05/-053000/" },
            Case { path: "slug/with.md", title: "T", slug: Some("A/B c"), url: None, date: None, hugo: "/s/a/b-c/a/b-c/t/x/" },
            Case { path: "slug/without.md", title: "Café #1 ok", slug: None, url: None, date: None, hugo: "/s/caf%C3%A9-#1-ok/without/caf%C3%A9-%231-ok/x/" },
            Case { path: "slug/notitle.md", title: "", slug: None, url: None, date: None, hugo: "/s/notitle/x/" },
            Case { path: "slug/b/index.md", title: "Bundle", slug: None, url: None, date: None, hugo: "/s/bundle/b/bundle/x/" },
            Case { path: "odd/o.md", title: "Hello World", slug: None, url: None, date: Some("2021-03-07T23:30:00-05:00"), hugo: "/hello-world-x/mar7/month3/_2021/slug3/marx/sunx/" },
            Case { path: "html/h.md", title: "Hello World", slug: None, url: None, date: Some("2021-03-07T23:30:00-05:00"), hugo: "/2021/hello-world.html/" },
            Case { path: "noslash/n.md", title: "Hello World", slug: None, url: None, date: Some("2021-03-07T23:30:00-05:00"), hugo: "/2021/hello-world/" },
            Case { path: "nodate/n.md", title: "No Date", slug: None, url: None, date: None, hugo: "/1/0001/01/utc/january/monday/1/" },
            Case { path: "100%/page.md", title: "Pct Page", slug: None, url: None, date: None, hugo: "/100/page/" },
            Case { path: "pct/page.md", title: "C++ 100%41 #x", slug: None, url: None, date: None, hugo: "/pct/c-100a-#x/" },
            Case { path: "rootpage.md", title: "Root Thing", slug: None, url: None, date: None, hugo: "/root/root-thing/" },
            Case { path: "Caps/page.md", title: "Caps Page", slug: None, url: None, date: None, hugo: "/caps/page/" },
            Case { path: "perm2/page.md", title: "P2", slug: None, url: None, date: None, hugo: "/perm2/p2/" },
        ],
    },
    Site {
        name: "ugly_fr",
        ugly: true,
        languages: &["en", "fr"],
        default_in_subdir: false,
        permalinks: &[("perm", "/:section/:year/:slug/")],
        pages: &[
            Case { path: "_index.md", title: "", slug: None, url: None, date: None, hugo: "/" },
            Case { path: "_index.fr.md", title: "", slug: None, url: None, date: None, hugo: "/fr/" },
            Case { path: "posts/_index.md", title: "", slug: None, url: None, date: None, hugo: "/posts.html" },
            Case { path: "posts/_index.fr.md", title: "", slug: None, url: None, date: None, hugo: "/fr/posts.html" },
            Case { path: "posts/hello.md", title: "Hello World", slug: None, url: None, date: Some("2020-01-02"), hugo: "/posts/hello.html" },
            Case { path: "posts/hello.fr.md", title: "Bonjour", slug: None, url: None, date: Some("2020-01-02"), hugo: "/fr/posts/hello.html" },
            Case { path: "posts/hello.de.md", title: "X", slug: None, url: None, date: None, hugo: "/posts/hello.de.html" },
            Case { path: "posts/idx.md", title: "", slug: Some("index"), url: None, date: None, hugo: "/posts/" },
            Case { path: "posts/trip/index.md", title: "", slug: None, url: None, date: None, hugo: "/posts/trip.html" },
            Case { path: "posts/trip/index.fr.md", title: "", slug: None, url: None, date: None, hugo: "/fr/posts/trip.html" },
            Case { path: "docs/_index.md", title: "", slug: None, url: None, date: None, hugo: "/docs.html" },
            Case { path: "docs/sub/_index.md", title: "", slug: None, url: None, date: None, hugo: "/docs/sub.html" },
            Case { path: "docs/sub/_index.fr.md", title: "", slug: None, url: None, date: None, hugo: "/fr/docs/sub.html" },
            Case { path: "weird/index/_index.md", title: "", slug: None, url: None, date: None, hugo: "/weird/index/" },
            Case { path: "perm/p.md", title: "Perm", slug: None, url: None, date: Some("2020-01-02"), hugo: "/perm/2020/perm.html" },
            Case { path: "perm/p.fr.md", title: "Perm", slug: None, url: None, date: Some("2020-01-02"), hugo: "/fr/perm/2020/perm.html" },
            Case { path: "perm/bundle/index.md", title: "Bundle", slug: None, url: None, date: Some("2020-01-02"), hugo: "/perm/2020/bundle.html" },
            Case { path: "blog/u1.fr.md", title: "", slug: None, url: Some("/abs/"), date: None, hugo: "/abs/" },
            Case { path: "blog/u2.fr.md", title: "", slug: None, url: Some("rel/"), date: None, hugo: "/fr/rel/" },
            Case { path: "blog/u3.fr.md", title: "", slug: None, url: Some("fr/rel2/"), date: None, hugo: "/fr/fr/rel2/" },
            Case { path: "blog/u4.fr.md", title: "", slug: None, url: Some("/fr/abs2"), date: None, hugo: "/fr/abs2/" },
            Case { path: "blog/u5.md", title: "", slug: None, url: Some("/abs3"), date: None, hugo: "/abs3/" },
            Case { path: "blog/u6.fr.md", title: "", slug: None, url: Some("rel4.html"), date: None, hugo: "/fr/rel4.html" },
            Case { path: "blog/u7.fr.md", title: "", slug: None, url: Some("/frx/y/"), date: None, hugo: "/frx/y/" },
            Case { path: "blog/u8.md", title: "", slug: None, url: Some("rel5"), date: None, hugo: "/rel5/" },
            Case { path: "about/_index.fr.md", title: "", slug: None, url: Some("À propos/"), date: None, hugo: "/fr/%C3%A0-propos/" },
        ],
    },
    Site {
        name: "subdir_ja",
        ugly: false,
        languages: &["en", "ja"],
        default_in_subdir: true,
        permalinks: &[("posts", "/:sections/:sections[last]/:section/:filename/:title/"), ("/", "/:sections/:section/:filename/"), ("My Docs", "/:sections/:slugorfilename/")],
        pages: &[
            Case { path: "_index.md", title: "", slug: None, url: None, date: None, hugo: "/en/" },
            Case { path: "_index.ja.md", title: "", slug: None, url: None, date: None, hugo: "/ja/" },
            Case { path: "posts/2020/a.md", title: "A", slug: None, url: None, date: None, hugo: "/en/posts/posts/a/a/" },
            Case { path: "posts/2020/deep/b.md", title: "B", slug: None, url: None, date: None, hugo: "/en/posts/posts/b/b/" },
            Case { path: "posts/withidx/_index.md", title: "", slug: None, url: None, date: None, hugo: "/en/posts/withidx/" },
            Case { path: "posts/withidx/deeper/d.md", title: "D", slug: None, url: None, date: None, hugo: "/en/posts/withidx/withidx/posts/d/d/" },
            Case { path: "posts/withidx/e.ja.md", title: "E", slug: None, url: None, date: None, hugo: "/ja/posts/posts/e/e/" },
            Case { path: "posts/withidx/f.md", title: "Café #1 100% C++ / x", slug: None, url: None, date: None, hugo: "/en/posts/withidx/withidx/posts/f/caf%C3%A9-#1-100-c-/-x/" },
            Case { path: "posts/both/_index.md", title: "", slug: None, url: None, date: None, hugo: "/en/posts/both/" },
            Case { path: "posts/both/_index.ja.md", title: "", slug: None, url: None, date: None, hugo: "/ja/posts/both/" },
            Case { path: "posts/both/k.ja.md", title: "K", slug: None, url: None, date: None, hugo: "/ja/posts/both/both/posts/k/k/" },
            Case { path: "posts/both/k.md", title: "K", slug: None, url: None, date: None, hugo: "/en/posts/both/both/posts/k/k/" },
            Case { path: "My Docs/_index.md", title: "", slug: None, url: None, date: None, hugo: "/en/my-docs/" },
            Case { path: "My Docs/Sub Dir/_index.md", title: "", slug: None, url: None, date: None, hugo: "/en/my-docs/sub-dir/" },
            Case { path: "My Docs/Sub Dir/G File.md", title: "G", slug: None, url: None, date: None, hugo: "/en/my-docs/sub-dir/g-file/" },
            Case { path: "root.md", title: "R", slug: None, url: None, date: None, hugo: "/en/root/" },
            Case { path: "rootbundle/index.md", title: "RB", slug: None, url: None, date: None, hugo: "/en/rootbundle/" },
            Case { path: "rootbundle2/index.ja.md", title: "RB2", slug: None, url: None, date: None, hugo: "/ja/rootbundle2/" },
        ],
    },
    Site {
        name: "edge",
        ugly: false,
        languages: &[],
        default_in_subdir: false,
        permalinks: &[("docs x", "/:section/:sections/:title/"), ("t", "/t/:title/"), ("s", "/s/:slug/"), ("f", "/f/:filename/:slugorfilename/")],
        pages: &[
            Case { path: "docs x/_index.md", title: "", slug: None, url: None, date: None, hugo: "/docs-x/" },
            Case { path: "docs x/Sub Y/_index.md", title: "", slug: None, url: None, date: None, hugo: "/docs-x/sub-y/" },
            Case { path: "docs x/Sub Y/page.md", title: "Page", slug: None, url: None, date: None, hugo: "/docs-x/docs-x/sub-y/page/" },
            Case { path: "t/a.md", title: "100%2F done", slug: None, url: None, date: None, hugo: "/t/100/-done/" },
            Case { path: "t/b.md", title: "ÄÖ Ünï", slug: None, url: None, date: None, hugo: "/t/%C3%A4%C3%B6-%C3%BCn%C3%AF/" },
            Case { path: "t/c.md", title: "a+b", slug: None, url: None, date: None, hugo: "/t/a-b/" },
            Case { path: "t/d.md", title: "  spaced  out  ", slug: None, url: None, date: None, hugo: "/t/spaced-out/" },
            Case { path: "t/e.md", title: "tab\tsep", slug: None, url: None, date: None, hugo: "/t/tab-sep/" },
            Case { path: "s/a.md", title: "", slug: Some("a+b"), url: None, date: None, hugo: "/s/a-b/" },
            Case { path: "s/b.md", title: "", slug: Some("ÄB"), url: None, date: None, hugo: "/s/%C3%A4b/" },
            Case { path: "s/c.md", title: "", slug: Some(".."), url: None, date: None, hugo: "/" },
            Case { path: "s/d.md", title: "", slug: Some("x/../y"), url: None, date: None, hugo: "/s/y/" },
            Case { path: "f/bun/index.de.md", title: "", slug: None, url: None, date: None, hugo: "/f/index.de/index.de/" },
            Case { path: "f/x.y.md", title: "", slug: None, url: None, date: None, hugo: "/f/x.y/x.y/" },
            Case { path: "Ärger/x.md", title: "", slug: None, url: None, date: None, hugo: "/%C3%A4rger/x/" },
            Case { path: "u/a.md", title: "", slug: None, url: Some("/ÄÖ/"), date: None, hugo: "/%C3%84%C3%96/" },
            Case { path: "u/b.md", title: "", slug: Some("ÄB+c"), url: None, date: None, hugo: "/u/%C3%A4b+c/" },
        ],
    },
    Site {
        name: "edge_ugly",
        ugly: true,
        languages: &[],
        default_in_subdir: false,
        permalinks: &[("p", "/:year/:slug/")],
        pages: &[
            Case { path: "p/a.md", title: "", slug: Some("index"), url: None, date: Some("2021-01-01"), hugo: "/2021/index/" },
            Case { path: "p/b.md", title: "", slug: None, url: Some("/x.y"), date: None, hugo: "/x.y" },
            Case { path: "p/c.md", title: "", slug: None, url: Some("/x.y/"), date: None, hugo: "/x.y/" },
            Case { path: "q/c.md", title: "", slug: Some("index"), url: None, date: None, hugo: "/q/" },
            Case { path: "q/b/index.md", title: "", slug: Some("Index"), url: None, date: None, hugo: "/q/index.html" },
        ],
    },

];

/// The language code in a file's name (`hello.fr.md`), when the site defines it.
fn name_language(site: &Site, path: &str) -> Option<&'static str> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let mut parts = name.rsplit('.');
    let (_ext, code, _stem) = (parts.next()?, parts.next()?, parts.next()?);
    site.languages.iter().copied().find(|l| *l == code)
}

/// The language a file belongs to: the one in its name, else the default.
fn language(site: &Site, path: &str) -> Option<&'static str> {
    name_language(site, path).or(site.languages.first().copied())
}

#[test]
fn gives_the_urls_hugo_0_111_3_gave() {
    let mut wrong = Vec::new();
    let mut checked = 0;
    for site in HUGO_SITES {
        let permalinks: BTreeMap<String, Pattern> = site
            .permalinks
            .iter()
            .map(|(key, text)| ((*key).to_owned(), Pattern::parse(text).expect(text)))
            .collect();
        for case in site.pages {
            let lang = language(site, case.path);
            let section_dirs: BTreeSet<String> = site
                .pages
                .iter()
                .filter(|p| language(site, p.path) == lang)
                .filter_map(|p| p.path.rsplit_once('/'))
                .filter(|(_, name)| name.starts_with("_index."))
                .map(|(dir, _)| dir.to_owned())
                .collect();
            let language_prefix = match lang {
                Some(l) if site.default_in_subdir || Some(l) != site.languages.first().copied() => {
                    l
                }
                _ => "",
            };
            let rules = UrlRules {
                permalinks: &permalinks,
                ugly_urls: site.ugly,
                language_prefix,
                section_dirs: &section_dirs,
            };
            let page = PageInfo {
                path: case.path,
                kind: kind_of(case.path),
                slug: case.slug,
                title: case.title,
                url: case.url,
                date: case.date.map(|d| PostDate::parse(d).expect(d)),
                name_language: name_language(site, case.path),
            };
            let got = url(&page, &rules);
            if got.as_deref() != Ok(case.hugo) {
                wrong.push(format!(
                    "{}: {}: Hugo {:?}, got {got:?}",
                    site.name, case.path, case.hugo
                ));
            }
            checked += 1;
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {checked} differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert!(checked > 100);
}
