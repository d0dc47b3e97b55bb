// Checks one notification from Quire (`--notify`) the way a receiver must, with the Standard
// Webhooks reference library, and prints the page URLs it says changed:
//
//   QUIRE_NOTIFY_SECRET=whsec_... node verify-webhook.mjs delivery.json   (or the JSON on stdin)
//
// where delivery.json is {"headers": {"webhook-id": "...", ...}, "body": "<the body as sent>"}.
// Exits 1, saying why, when the signature or the timestamp (5 minutes either way) is wrong.
// The README's Next.js route handler does the same with a request.
import { readFileSync } from "node:fs";
import { Webhook } from "standardwebhooks";

/** Every page a `content.updated` message names: added, changed, removed, renamed from and to. */
export function changedUrls(event) {
  const posts = [
    ...event.added,
    ...event.changed,
    ...event.removed,
    ...event.renamed.flatMap((r) => [r.from, r.to]),
  ];
  // `url` is null for a page Hugo does not publish.
  return [...new Set(posts.map((post) => post.url).filter((url) => url !== null))];
}

const delivery = JSON.parse(readFileSync(process.argv[2] ?? 0, "utf8"));
try {
  // Verify the body exactly as received: parsing and re-serializing it would break the signature.
  const event = new Webhook(process.env.QUIRE_NOTIFY_SECRET).verify(delivery.body, delivery.headers);
  console.log(JSON.stringify({ type: event.type, commit: event.commit, urls: changedUrls(event) }));
} catch (err) {
  console.error(`not verified: ${err.message}`);
  process.exit(1);
}
