// Walks every published post, a page of 100 at a time (Quire's largest page), for what a build
// needs whole: the URLs to generate and the aliases to redirect.
import { graphql } from "../gql";
import type { EveryPostQuery } from "../gql/graphql";
import { quire } from "./quire";

const EveryPost = graphql(`
  query EveryPost($after: String) {
    posts(first: 100, after: $after) {
      nodes {
        url
        aliases
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** Every published post's URL and aliases, as the served commit has them (never a preview). */
export async function everyPost(): Promise<{ url: string; aliases: string[] }[]> {
  const posts: { url: string; aliases: string[] }[] = [];
  let after: string | null | undefined = null;
  do {
    const data: EveryPostQuery = await quire(EveryPost, { after }, { preview: false });
    for (const post of data.posts.nodes) {
      if (post.url) posts.push({ url: post.url, aliases: post.aliases });
    }
    after = data.posts.pageInfo.hasNextPage ? data.posts.pageInfo.endCursor : null;
  } while (after);
  return posts;
}
