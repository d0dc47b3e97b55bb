// The same data layer written with @urql/core: the four lookups, a listing paged to its end, and
// automatic persisted queries through @urql/exchange-persisted (hash-only GETs). Prints what it
// read as JSON for the test to compare.
import { Client, cacheExchange, fetchExchange } from '@urql/core';
import { persistedExchange } from '@urql/exchange-persisted';
import { args, check, readAll, REVISION } from './queries.mjs';

const { url, plan } = args();

const sent = [];
const client = new Client({
  url,
  exchanges: [cacheExchange, fetchExchange],
  requestPolicy: 'network-only',
});
const persistedClient = new Client({
  url,
  exchanges: [persistedExchange({ preferGetForPersistedQueries: true }), fetchExchange],
  requestPolicy: 'network-only',
  fetch: (input, init) => {
    sent.push({ method: init?.method ?? 'GET', url: String(input), hasQueryParam: new URL(String(input)).searchParams.has('query') });
    return fetch(input, init);
  },
});

async function run(c, query, variables) {
  const result = await c.query(query, variables).toPromise();
  check(!result.error, `${query.split('(')[0]}: ${result.error?.message}`);
  return result.data;
}

const read = await readAll((query, variables) => run(client, query, variables), plan);

// First use: the hash alone is unknown, so the exchange retries with the query; second use: the
// hash alone is enough.
const first = await run(persistedClient, REVISION, {});
const second = await run(persistedClient, REVISION, {});

console.log(JSON.stringify({
  client: 'urql',
  ...read,
  persisted: {
    revision: second.revision,
    sameAsFirst: JSON.stringify(first) === JSON.stringify(second),
    requests: sent.map(({ method, hasQueryParam }) => ({ method, hasQueryParam })),
  },
}));
