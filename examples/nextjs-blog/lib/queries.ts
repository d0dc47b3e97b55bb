// Queries that more than one route reads.
import { graphql } from "../gql";

/** The newest posts, a page at a time: the home page and /page/<cursor>/. */
export const HomePage = graphql(`
  query HomePage($after: String) {
    posts(first: 10, after: $after) {
      ...PostPage
    }
  }
`);

/** A section's posts, newest first, a page at a time: the section's page and the pages after it. */
export const SectionPosts = graphql(`
  query SectionPosts($path: String!, $after: String) {
    section(path: $path) {
      title
      url
      html
      posts(first: 20, after: $after) {
        ...PostPage
      }
    }
  }
`);

/** Where the posts of section `path` after `cursor` are listed. */
export function sectionPagePath(path: string, cursor: string): string {
  return `/sections/${path.split("/").map(encodeURIComponent).join("/")}/${cursor}/`;
}
