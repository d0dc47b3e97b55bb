// One GraphQL request to Quire, for the server (lib/quire.ts) and the browser (search) alike.
import type { TypedDocumentString } from "../gql/graphql";

/** Quire's address as browsers reach it: search, the feed, the highlighting stylesheet. */
export const QUIRE_PUBLIC_URL = (process.env.NEXT_PUBLIC_QUIRE_URL ?? "http://127.0.0.1:8080").replace(
  /\/+$/,
  "",
);

/** An answer with errors other than NOT_FOUND (which is data: the page answers 404). */
export class QuireError extends Error {
  constructor(
    message: string,
    readonly codes: string[],
  ) {
    super(message);
    this.name = "QuireError";
  }
}

type GraphQLError = { message: string; extensions?: { code?: string } };

/** POSTs `query` (the document, or a rewriting of it) to `base`/graphql and returns `data`. */
export async function request<Result, Variables>(
  base: string,
  document: TypedDocumentString<Result, Variables>,
  variables: Variables,
  init: { query?: string; headers?: Record<string, string>; cache?: RequestCache; signal?: AbortSignal } = {},
): Promise<Record<string, unknown>> {
  const query = init.query ?? document.toString();
  const response = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json",
      ...init.headers,
    },
    body: JSON.stringify({ query, variables }),
    cache: init.cache,
    signal: init.signal,
  });
  const body = (await response.json().catch(() => null)) as {
    data?: Record<string, unknown> | null;
    errors?: GraphQLError[];
  } | null;
  const fatal = (body?.errors ?? []).filter((e) => e.extensions?.code !== "NOT_FOUND");
  if (!body?.data || fatal.length > 0) {
    const message = fatal[0]?.message ?? body?.errors?.[0]?.message ?? `HTTP ${response.status}`;
    const name = /^\s*query\s+(\w+)/.exec(query)?.[1] ?? "a query";
    throw new QuireError(
      `Quire (${base}) refused ${name}: ${message}`,
      fatal.map((e) => e.extensions?.code ?? "UNKNOWN"),
    );
  }
  return body.data;
}
