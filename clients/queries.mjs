// The operations both client programs send, and the plan they read from the command line:
//   node <program>.mjs <graphql url> '{"slug":…,"year":…,"week":…,"category":…,"keyword":…,"pageSize":…}'
export const POST = `query Post($slug: String!) {
  post(slug: $slug) { slug title date html footnotes { label html } categories { name } }
}`;

export const WEEK = `query Week($year: Int!, $week: Int!) {
  postsByWeek(year: $year, week: $week) { slug }
}`;

export const CATEGORY = `query Category($category: String!) {
  postsByCategory(category: $category, first: 100) { totalCount nodes { slug } }
}`;

export const KEYWORD = `query Keyword($keyword: String!) {
  postsByKeyword(keyword: $keyword, first: 100) { totalCount nodes { slug } }
}`;

export const PAGE = `query Page($first: Int!, $after: String) {
  posts(first: $first, after: $after) {
    totalCount
    nodes { slug }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const REVISION = `query Revision { revision { commit postCount } }`;

export function args() {
  const [url, plan] = process.argv.slice(2);
  if (!url || !plan) {
    console.error(`usage: node ${process.argv[1]} <graphql url> '<plan json>'`);
    process.exit(2);
  }
  return { url, plan: JSON.parse(plan) };
}

/** Fails the program with a message when `condition` is false. */
export function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}
