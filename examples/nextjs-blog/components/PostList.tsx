import Link from "next/link";
import { graphql } from "../gql";
import type { PostItemFragment } from "../gql/graphql";
import { formatDate } from "../lib/format";
import { Html } from "./Html";

// What every listing shows of a post; queries spread it with `...PostItem`.
graphql(`
  fragment PostItem on Post {
    url
    title
    date
    readingTime
    summary
    truncated
  }
`);

// A page of a listing: its posts and where the next page starts (`...PostPage`).
graphql(`
  fragment PostPage on PostConnection {
    nodes {
      ...PostItem
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
`);

export function PostList({ posts }: { posts: PostItemFragment[] }) {
  return (
    <ol className="post-list">
      {posts
        .filter((post): post is PostItemFragment & { url: string } => post.url != null)
        .map((post) => (
          <li key={post.url}>
            <h2>
              <Link href={post.url}>{post.title}</Link>
            </h2>
            <p className="meta">
              <time dateTime={post.date ?? undefined}>{formatDate(post.date)}</time> · {post.readingTime} min read
            </p>
            <Html className="summary" html={post.summary} />
            {post.truncated && (
              <p>
                <Link href={post.url} aria-label={`Read all of ${post.title}`}>
                  Read more →
                </Link>
              </p>
            )}
          </li>
        ))}
    </ol>
  );
}

/** A link to the next page of a listing, when there is one. */
export function Older({ href }: { href: string | null }) {
  if (!href) return null;
  return (
    <nav className="pager">
      <Link href={href} rel="next">
        Older posts →
      </Link>
    </nav>
  );
}
