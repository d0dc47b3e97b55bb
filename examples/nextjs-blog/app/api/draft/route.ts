// Preview (draft mode): /api/draft/?secret=<DRAFT_SECRET>&ref=<branch, tag or commit>&path=/posts/x/
// turns it on, and every page then reads `at(ref:, drafts: true)` with QUIRE_PREVIEW_TOKEN (see
// lib/quire.ts). /api/draft/?disable=1 turns it off.
import { createHash, timingSafeEqual } from "node:crypto";
import { cookies, draftMode } from "next/headers";
import { redirect } from "next/navigation";
import { graphql } from "../../../gql";
import { PREVIEW_REF_COOKIE, quire } from "../../../lib/quire";

const ServedBranch = graphql(`
  query ServedBranch {
    revision {
      branch
      commit
    }
  }
`);

export async function GET(request: Request) {
  const url = new URL(request.url);
  const path = url.searchParams.get("path") ?? "/";
  // Only a path on this site: never redirect elsewhere.
  const target = path.startsWith("/") && !path.startsWith("//") ? path : "/";
  if (url.searchParams.has("disable")) {
    (await draftMode()).disable();
    (await cookies()).delete(PREVIEW_REF_COOKIE);
    redirect(target);
  }
  const secret = process.env.DRAFT_SECRET;
  if (!secret || !same(url.searchParams.get("secret") ?? "", secret)) {
    return new Response("Invalid or missing secret (DRAFT_SECRET)", { status: 401 });
  }
  let ref = url.searchParams.get("ref");
  if (!ref) {
    const { revision } = await quire(ServedBranch, {}, { preview: false });
    ref = revision.branch ?? revision.commit;
  }
  (await draftMode()).enable();
  (await cookies()).set(PREVIEW_REF_COOKIE, ref, { httpOnly: true, sameSite: "lax", path: "/" });
  redirect(target);
}

/** Compares two secrets in constant time (of their hashes, so lengths may differ). */
function same(a: string, b: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(a), digest(b));
}
