// A category's or keyword's posts, newest first, a page at a time: /categories/<slug>/ and
// /categories/<slug>/<cursor>/ (the same for keywords).
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { graphql } from "../gql";
import { termPath } from "../lib/format";
import { quire } from "../lib/quire";
import { QuireError } from "../lib/request";
import { Older, PostList } from "./PostList";

const CategoryPosts = graphql(`
  query CategoryPosts($term: String!, $after: String) {
    categories {
      name
      slug
    }
    postsByCategory(category: $term, first: 20, after: $after) {
      ...PostPage
      totalCount
    }
  }
`);

const KeywordPosts = graphql(`
  query KeywordPosts($term: String!, $after: String) {
    keywords {
      name
      slug
    }
    postsByKeyword(keyword: $term, first: 20, after: $after) {
      ...PostPage
      totalCount
    }
  }
`);

/** One query for the metadata and the page of a request. */
const loadTerm = cache(async (taxonomy: "categories" | "keywords", term: string, after: string | null) => {
  const read = (error: unknown): never => {
    // A cursor Quire cannot read is a URL that names no page.
    if (error instanceof QuireError && error.codes.includes("BAD_USER_INPUT")) notFound();
    throw error;
  };
  return taxonomy === "categories"
    ? quire(CategoryPosts, { term, after }).then((d) => [d.categories, d.postsByCategory] as const, read)
    : quire(KeywordPosts, { term, after }).then((d) => [d.keywords, d.postsByKeyword] as const, read);
});

export type TermParams = { params: Promise<{ term: string; cursor?: string }> };

export async function termPage(taxonomy: "categories" | "keywords", params: TermParams["params"]) {
  const { term: encoded, cursor } = await params;
  const term = decodeURIComponent(encoded);
  const after = cursor ?? null;
  const [terms, posts] = await loadTerm(taxonomy, term, after);
  // A term no post has is null (with NOT_FOUND).
  if (!posts || posts.nodes.length === 0) notFound();
  const name = terms.find((t) => t.slug === term)?.name ?? term;
  const { pageInfo } = posts;
  return {
    name,
    page: (
      <>
        <h1>
          {taxonomy === "categories" ? "Category" : "Keyword"}: {name}
        </h1>
        <p className="meta">
          {posts.totalCount} {posts.totalCount === 1 ? "post" : "posts"} ·{" "}
          <Link href={`/${taxonomy}/`}>all {taxonomy}</Link>
        </p>
        <PostList posts={posts.nodes} />
        <Older
          href={pageInfo.hasNextPage && pageInfo.endCursor ? `${termPath(taxonomy, term)}${pageInfo.endCursor}/` : null}
        />
      </>
    ),
  };
}

const Terms = graphql(`
  query Terms {
    categories {
      name
      slug
      count
    }
    keywords {
      name
      slug
      count
    }
  }
`);

/** Every category, or every keyword, with its number of posts. */
export async function TermIndex({ taxonomy }: { taxonomy: "categories" | "keywords" }) {
  const data = await quire(Terms, {});
  const terms = taxonomy === "categories" ? data.categories : data.keywords;
  return (
    <>
      <h1>{taxonomy === "categories" ? "Categories" : "Keywords"}</h1>
      <ul className="term-index">
        {terms.map((term) => (
          <li key={term.slug}>
            <Link href={termPath(taxonomy, term.slug)}>{term.name}</Link> <small>({term.count})</small>
          </li>
        ))}
      </ul>
      <p>
        {taxonomy === "categories" ? <Link href="/keywords/">All keywords</Link> : <Link href="/categories/">All categories</Link>}
      </p>
    </>
  );
}

/** What a route of a term's pages exports: made on the first visit, then kept until Quire says one of its posts changed. */
export function termRoute(taxonomy: "categories" | "keywords") {
  return {
    generateStaticParams: () => [],
    generateMetadata: async ({ params }: TermParams): Promise<Metadata> => ({
      title: (await termPage(taxonomy, params)).name,
    }),
    Page: async ({ params }: TermParams) => (await termPage(taxonomy, params)).page,
  };
}
