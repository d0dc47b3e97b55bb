"use client";
// Search from the browser: each keystroke (after a pause) asks Quire's `search` in as-you-type
// mode, and the results show Quire's snippets with the words found marked.
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { graphql } from "../../gql";
import type { SearchPostsQuery } from "../../gql/graphql";
import { formatDate } from "../../lib/format";
import { QUIRE_PUBLIC_URL, request } from "../../lib/request";

const SearchPosts = graphql(`
  query SearchPosts($query: String!) {
    search(query: $query, mode: AS_YOU_TYPE, first: 20) {
      totalCount
      edges {
        node {
          url
          title
          date
        }
        snippet {
          html
        }
      }
    }
  }
`);

type Results = { query: string; search: SearchPostsQuery["search"] } | { query: string; error: string };

export function Search() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const [query, setQuery] = useState(params.get("q") ?? "");
  const [results, setResults] = useState<Results | null>(null);

  useEffect(() => {
    const q = query.trim();
    router.replace(q ? `${pathname}?q=${encodeURIComponent(q)}` : pathname, { scroll: false });
    if (!q) {
      setResults(null);
      return;
    }
    const abort = new AbortController();
    const timer = setTimeout(() => {
      request(QUIRE_PUBLIC_URL, SearchPosts, { query: q }, { signal: abort.signal })
        .then((data) => setResults({ query: q, search: (data as SearchPostsQuery).search }))
        .catch((error: Error) => {
          if (error.name !== "AbortError") setResults({ query: q, error: error.message });
        });
    }, 150);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [query, pathname, router]);

  return (
    <div className="search">
      <input
        type="search"
        name="q"
        aria-label="Search the posts"
        placeholder="Search the posts"
        value={query}
        autoFocus
        onChange={(event) => setQuery(event.target.value)}
      />
      {results && "error" in results && <p className="error">Search failed: {results.error}</p>}
      {results && "search" in results && (
        <>
          <p className="meta" role="status">
            {results.search.totalCount} {results.search.totalCount === 1 ? "post" : "posts"} for “{results.query}”
          </p>
          <ol className="search-results">
            {results.search.edges
              .filter((edge) => edge.node.url)
              .map((edge) => (
                <li key={edge.node.url}>
                  <h2>
                    <Link href={edge.node.url!}>{edge.node.title}</Link>
                  </h2>
                  <p className="meta">{formatDate(edge.node.date)}</p>
                  {/* Quire escapes the text and marks the words found with <mark>. */}
                  <p className="snippet" dangerouslySetInnerHTML={{ __html: edge.snippet.html }} />
                </li>
              ))}
          </ol>
        </>
      )}
    </div>
  );
}
