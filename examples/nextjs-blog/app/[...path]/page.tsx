// Every post and section at its own URL, as Hugo would publish it: one lookup with postByUrl.
// An alias answers a permanent redirect (next.config.ts gives the 301s known at build), an
// unknown URL 404.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound, permanentRedirect } from "next/navigation";
import { cache } from "react";
import { Html } from "../../components/Html";
import { Older, PostList } from "../../components/PostList";
import { graphql } from "../../gql";
import type { PageQuery, TocItemFragment } from "../../gql/graphql";
import { formatDate, termPath, weekPath } from "../../lib/format";
import { everyPost } from "../../lib/posts";
import { SectionPosts, sectionPagePath } from "../../lib/queries";
import { quire } from "../../lib/quire";

graphql(`
  fragment TocItem on TocEntry {
    id
    text
  }
`);

const Page = graphql(`
  query Page($url: String!) {
    postByUrl(url: $url) {
      redirect
      post {
        url
        title
        date
        lastmod
        description
        plainSummary: summary(format: PLAIN)
        authors
        readingTime
        categories {
          name
          slug
        }
        keywords {
          name
          slug
        }
        isoWeek {
          year
          week
        }
        toc(minLevel: 2, maxLevel: 4) {
          ...TocItem
          children {
            ...TocItem
            children {
              ...TocItem
            }
          }
        }
        html
        footnotes {
          number
          anchor
          html
          referenceAnchors
        }
        resources {
          url
          contentType
        }
        previous {
          url
          title
        }
        next {
          url
          title
        }
        related(first: 5) {
          url
          title
        }
        backlinks {
          post {
            url
            title
          }
          text
        }
      }
      section {
        path
      }
    }
  }
`);

type Params = { params: Promise<{ path: string[] }> };

/** The page at `/path/`; the same answer serves the metadata and the page. */
const load = cache(async (path: string[]) => {
  const url = `/${path.join("/")}/`;
  const { postByUrl } = await quire(Page, { url });
  if (!postByUrl) notFound();
  if (postByUrl.redirect) permanentRedirect(postByUrl.redirect);
  return postByUrl;
});

/** A section's first page of posts; the same answer serves the metadata and the page. */
const loadSection = cache((path: string) => quire(SectionPosts, { path, after: null }));

/** Every post is generated at build; sections and posts published later, on their first visit. */
export async function generateStaticParams() {
  const posts = await everyPost();
  return posts.map((post) => ({ path: post.url.split("/").filter(Boolean).map(decodeURIComponent) }));
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const found = await load((await params).path);
  const post = found.post;
  if (!post) {
    const section = found.section && (await loadSection(found.section.path)).section;
    return { title: section?.title, alternates: { canonical: section?.url } };
  }
  const description = post.description ?? post.plainSummary.slice(0, 300);
  const image = post.resources.find((r) => r.contentType.startsWith("image/"));
  return {
    title: post.title,
    description,
    authors: post.authors.map((name) => ({ name })),
    keywords: post.keywords.map((k) => k.name),
    alternates: { canonical: post.url },
    openGraph: {
      type: "article",
      title: post.title,
      description,
      url: post.url ?? undefined,
      publishedTime: post.date ?? undefined,
      modifiedTime: post.lastmod ?? undefined,
      authors: post.authors,
      tags: post.keywords.map((k) => k.name),
      images: image ? [image.url] : undefined,
    },
  };
}

export default async function PostOrSection({ params }: Params) {
  const found = await load((await params).path);
  if (found.post) return <Post post={found.post} />;
  if (found.section) return <Section path={found.section.path} />;
  notFound();
}

type PostData = NonNullable<NonNullable<PageQuery["postByUrl"]>["post"]>;

function Post({ post }: { post: PostData }) {
  return (
    <article className="post">
      <header>
        <h1>{post.title}</h1>
        <p className="meta">
          <time dateTime={post.date ?? undefined}>{formatDate(post.date)}</time>
          {post.authors.length > 0 && <> · by {post.authors.join(", ")}</>} · {post.readingTime} min read
          {post.isoWeek && (
            <>
              {" · "}
              <Link href={weekPath(post.isoWeek.year, post.isoWeek.week)}>
                week {post.isoWeek.week} of {post.isoWeek.year}
              </Link>
            </>
          )}
        </p>
        <Terms taxonomy="categories" terms={post.categories} />
        <Terms taxonomy="keywords" terms={post.keywords} />
      </header>
      {post.toc.length > 0 && (
        <nav className="toc" aria-label="Contents">
          <h2>Contents</h2>
          <Toc entries={post.toc} />
        </nav>
      )}
      <Html className="body" html={post.html} />
      {post.footnotes.length > 0 && (
        <section className="footnotes" aria-label="Footnotes">
          <ol>
            {post.footnotes.map((note) => (
              <li key={note.anchor} id={note.anchor} value={note.number}>
                <Html html={note.html} />
                {note.referenceAnchors.map((anchor, i) => (
                  <a key={anchor} href={`#${anchor}`} className="footnote-back" aria-label="Back to the text">
                    ↩{note.referenceAnchors.length > 1 ? i + 1 : ""}
                  </a>
                ))}
              </li>
            ))}
          </ol>
        </section>
      )}
      <footer>
        <nav className="adjacent">
          {post.previous?.url && (
            <Link href={post.previous.url} rel="prev">
              ← {post.previous.title}
            </Link>
          )}
          {post.next?.url && (
            <Link href={post.next.url} rel="next">
              {post.next.title} →
            </Link>
          )}
        </nav>
        <Links title="Related posts" posts={post.related} />
        <Links
          title="Linked from"
          posts={post.backlinks.map((b) => b.post)}
          notes={post.backlinks.map((b) => b.text)}
        />
      </footer>
    </article>
  );
}

function Terms({ taxonomy, terms }: { taxonomy: "categories" | "keywords"; terms: { name: string; slug: string }[] }) {
  if (terms.length === 0) return null;
  return (
    <ul className={`terms ${taxonomy}`} aria-label={taxonomy}>
      {terms.map((term) => (
        <li key={term.slug}>
          <Link href={termPath(taxonomy, term.slug)}>{term.name}</Link>
        </li>
      ))}
    </ul>
  );
}

type TocEntry = TocItemFragment & { children?: TocEntry[] };

function Toc({ entries }: { entries: TocEntry[] }) {
  return (
    <ol>
      {entries.map((entry) => (
        <li key={entry.id}>
          <a href={`#${entry.id}`}>{entry.text}</a>
          {entry.children && entry.children.length > 0 && <Toc entries={entry.children} />}
        </li>
      ))}
    </ol>
  );
}

function Links({ title, posts, notes }: { title: string; posts: { url?: string | null; title: string }[]; notes?: string[] }) {
  const listed = posts.map((post, i) => ({ ...post, note: notes?.[i] })).filter((p) => p.url);
  if (listed.length === 0) return null;
  return (
    <section className="links">
      <h2>{title}</h2>
      <ul>
        {listed.map((post, i) => (
          <li key={`${post.url}-${i}`}>
            <Link href={post.url!}>{post.title}</Link>
            {post.note && post.note !== post.title && <small> (“{post.note}”)</small>}
          </li>
        ))}
      </ul>
    </section>
  );
}

async function Section({ path }: { path: string }) {
  const { section } = await loadSection(path);
  if (!section) notFound();
  const { pageInfo } = section.posts;
  return (
    <>
      <h1>{section.title}</h1>
      <Html className="section-text" html={section.html} />
      <PostList posts={section.posts.nodes} />
      <Older href={pageInfo.hasNextPage && pageInfo.endCursor ? sectionPagePath(path, pageInfo.endCursor) : null} />
    </>
  );
}
