// A frontend's data layer written with graphql-request: the four lookups, a listing paged to its
// end, and a query sent as an automatic persisted query (hash only, over GET). Prints what it
// read as JSON for the test to compare.
import { createHash } from 'node:crypto';
import { GraphQLClient } from 'graphql-request';
import { args, check, CATEGORY, KEYWORD, PAGE, POST, REVISION, WEEK } from './queries.mjs';

const { url, plan } = args();
const client = new GraphQLClient(url);

const { post } = await client.request(POST, { slug: plan.slug });
const { postsByWeek } = await client.request(WEEK, { year: plan.year, week: plan.week });
const { postsByCategory } = await client.request(CATEGORY, { category: plan.category });
const { postsByKeyword } = await client.request(KEYWORD, { keyword: plan.keyword });

const listing = [];
let pages = 0;
let after = null;
for (;;) {
  const { posts } = await client.request(PAGE, { first: plan.pageSize, after });
  pages += 1;
  listing.push(...posts.nodes.map((p) => p.slug));
  if (!posts.pageInfo.hasNextPage) break;
  after = posts.pageInfo.endCursor;
  check(pages < 1000, 'pagination does not end');
}

// Apollo's automatic persisted queries, over GET: first the hash alone; on
// PersistedQueryNotFound, the hash with the query, which registers it.
const sha256Hash = createHash('sha256').update(REVISION).digest('hex');
const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash } });
async function persisted(withQuery) {
  const target = new URL(url);
  target.searchParams.set('operationName', 'Revision');
  target.searchParams.set('extensions', extensions);
  if (withQuery) target.searchParams.set('query', REVISION);
  const response = await fetch(target, { headers: { accept: 'application/graphql-response+json' } });
  check(response.ok, `persisted query: HTTP ${response.status}`);
  return { body: await response.json(), etag: response.headers.get('etag'), length: target.href.length };
}
const first = await persisted(false);
const notFound = first.body.errors?.[0]?.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND';
const registered = await persisted(true);
const byHash = await persisted(false);
check(!byHash.body.errors, `hash-only GET failed: ${JSON.stringify(byHash.body)}`);

console.log(JSON.stringify({
  client: 'graphql-request',
  post,
  week: postsByWeek.map((p) => p.slug),
  category: postsByCategory.nodes.map((p) => p.slug),
  keyword: postsByKeyword.nodes.map((p) => p.slug),
  listing,
  pages,
  persisted: {
    unknownAtFirst: notFound,
    revision: byHash.body.data.revision,
    sameAsRegistered: JSON.stringify(registered.body) === JSON.stringify(byHash.body),
    etag: byHash.etag,
    hashOnlyUrlLength: byHash.length,
  },
}));
