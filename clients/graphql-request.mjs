// A frontend's data layer written with graphql-request: the four lookups, a listing paged to its
// end, and a query sent as an automatic persisted query (hash only, over GET). Prints what it
// read as JSON for the test to compare.
import { createHash } from 'node:crypto';
import { GraphQLClient } from 'graphql-request';
import { args, check, readAll, REVISION } from './queries.mjs';

const { url, plan } = args();
const client = new GraphQLClient(url);

const read = await readAll((query, variables) => client.request(query, variables), plan);

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
  ...read,
  persisted: {
    unknownAtFirst: notFound,
    revision: byHash.body.data.revision,
    sameAsRegistered: JSON.stringify(registered.body) === JSON.stringify(byHash.body),
    etag: byHash.etag,
    hashOnlyUrlLength: byHash.length,
  },
}));
