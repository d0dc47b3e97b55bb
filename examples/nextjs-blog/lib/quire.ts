// The site's one way to Quire: typed documents from GraphQL Code Generator (`graphql()` in
// gql/), sent with fetch. In draft mode (app/api/draft) every query is read inside
// `at(ref:, drafts: true)` with the preview token, from the branch the editor picked.
import { Kind, parse, print, type OperationDefinitionNode } from "graphql";
import type { TypedDocumentString } from "../gql/graphql";
import { request } from "./request";

/** Quire's address as this server reaches it. */
export const QUIRE_URL = (process.env.QUIRE_URL ?? "http://127.0.0.1:8080").replace(/\/+$/, "");

/** Where a query is read: the served content, or a preview of `ref` with drafts. */
export type Reading = { preview: false } | { preview: true; ref: string };

/** Runs `document` with `variables` and returns its data. */
export async function quire<Result, Variables>(
  document: TypedDocumentString<Result, Variables>,
  variables: Variables,
  reading?: Reading,
): Promise<Result> {
  const read = reading ?? (await currentReading());
  const data = await request(QUIRE_URL, document, read.preview ? { ...variables, quireRef: read.ref } : variables, {
    query: read.preview ? insideRef(document.toString()) : undefined,
    headers: read.preview
      ? { authorization: `Bearer ${process.env.QUIRE_PREVIEW_TOKEN ?? ""}` }
      : { "x-site-build": process.env.SITE_BUILD_ID ?? "" }, // see next.config.ts
    // Previews are never cached; other answers are kept with the page that read them, until
    // app/api/quire revalidates it.
    cache: read.preview ? "no-store" : undefined,
  });
  return (read.preview ? data.at : data) as Result;
}

/** The reading of this request: a preview when draft mode is on (see app/api/draft). */
export async function currentReading(): Promise<Reading> {
  // Imported here, not at the top: next.config.ts reads every post through this module, where
  // there is no request and next/headers has nothing to give.
  const { cookies, draftMode } = await import("next/headers");
  if (!(await draftMode()).isEnabled) return { preview: false };
  // Cookies are read only in draft mode: reading them makes a page dynamic.
  const ref = (await cookies()).get(PREVIEW_REF_COOKIE)?.value;
  return ref ? { preview: true, ref } : { preview: false };
}

/** The cookie holding the ref a preview reads. */
export const PREVIEW_REF_COOKIE = "quire-ref";

/** `query Q($x: T) { … }` as `query Q($x: T, $quireRef: String!) { at(ref: $quireRef, drafts: true) { … } }`. */
function insideRef(query: string): string {
  const document = parse(query);
  return print({
    ...document,
    definitions: document.definitions.map((definition) => {
      if (definition.kind !== Kind.OPERATION_DEFINITION) return definition;
      const operation: OperationDefinitionNode = {
        ...definition,
        variableDefinitions: [
          ...(definition.variableDefinitions ?? []),
          {
            kind: Kind.VARIABLE_DEFINITION,
            variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: "quireRef" } },
            type: {
              kind: Kind.NON_NULL_TYPE,
              type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: "String" } },
            },
          },
        ],
        selectionSet: {
          kind: Kind.SELECTION_SET,
          selections: [
            {
              kind: Kind.FIELD,
              name: { kind: Kind.NAME, value: "at" },
              arguments: [
                {
                  kind: Kind.ARGUMENT,
                  name: { kind: Kind.NAME, value: "ref" },
                  value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: "quireRef" } },
                },
                {
                  kind: Kind.ARGUMENT,
                  name: { kind: Kind.NAME, value: "drafts" },
                  value: { kind: Kind.BOOLEAN, value: true },
                },
              ],
              selectionSet: definition.selectionSet,
            },
          ],
        },
      };
      return operation;
    }),
  });
}
