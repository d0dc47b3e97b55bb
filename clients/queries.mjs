// The operations both client programs send, how they read everything, and the plan they read from
// the command line:
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

/**
 * The four lookups and the whole listing, page by page, through `request(query, variables)`
 * (one client's way of running a query and returning its `data`): what both programs print.
 */
export async function readAll(request, plan) {
  const { post } = await request(POST, { slug: plan.slug });
  const { postsByWeek } = await request(WEEK, { year: plan.year, week: plan.week });
  const { postsByCategory } = await request(CATEGORY, { category: plan.category });
  const { postsByKeyword } = await request(KEYWORD, { keyword: plan.keyword });
  const listing = [];
  let pages = 0;
  let after = null;
  for (;;) {
    const { posts } = await request(PAGE, { first: plan.pageSize, after });
    pages += 1;
    listing.push(...posts.nodes.map((p) => p.slug));
    if (!posts.pageInfo.hasNextPage) break;
    after = posts.pageInfo.endCursor;
    check(pages < 1000, 'pagination does not end');
  }
  return {
    post,
    week: postsByWeek.map((p) => p.slug),
    category: postsByCategory.nodes.map((p) => p.slug),
    keyword: postsByKeyword.nodes.map((p) => p.slug),
    listing,
    pages,
  };
}
