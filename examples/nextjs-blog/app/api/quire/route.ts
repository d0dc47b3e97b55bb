// Quire's signed notification (`quire --notify <site>/api/quire --notify-secret …`): after each
// new commit it lists the posts added, changed, removed and renamed. This route verifies the
// signature (Standard Webhooks) and revalidates the pages that show those posts: their own, the
// listings they appear in, their neighbours and the posts they link to. The next visit to each
// gets it fresh; nothing is rebuilt.
import { revalidatePath } from "next/cache";
import { Webhook } from "standardwebhooks";
import { graphql } from "../../../gql";
import { monthPath, termPath, weekPath } from "../../../lib/format";
import { quire } from "../../../lib/quire";

type ChangedPost = { slug: string; url: string | null; path: string };
type Update = {
  type: "content.updated";
  previous: string;
  commit: string;
  added: ChangedPost[];
  changed: ChangedPost[];
  removed: ChangedPost[];
  renamed: { from: ChangedPost; to: ChangedPost }[];
};

const Affected = graphql(`
  query Affected($ref: String!, $path: String!) {
    at(ref: $ref) {
      post(path: $path) {
        url
        date
        isoWeek {
          year
          week
        }
        parent {
          path
          url
        }
        categories {
          slug
        }
        keywords {
          slug
        }
        previous {
          url
        }
        next {
          url
        }
        links {
          post {
            url
          }
        }
      }
    }
  }
`);

/** The routes of listings' later pages (after a cursor). */
const OLDER_PAGES = ["/page/[cursor]", "/sections/[...rest]", "/categories/[term]/[cursor]", "/keywords/[term]/[cursor]"];

export async function POST(request: Request) {
  const secret = process.env.QUIRE_NOTIFY_SECRET;
  if (!secret) return new Response("QUIRE_NOTIFY_SECRET is not set", { status: 500 });
  const body = await request.text(); // as received: the signature covers every byte
  let event: Update;
  try {
    event = new Webhook(secret).verify(body, Object.fromEntries(request.headers)) as Update;
  } catch {
    return new Response("invalid signature", { status: 401 });
  }
  // A post is read where it is now (its new listings) and where it was (its old ones); both
  // commits are in the served branch's history, so no token is needed.
  const now = (post: ChangedPost): [string, ChangedPost] => [event.commit, post];
  const before = (post: ChangedPost): [string, ChangedPost] => [event.previous, post];
  const reads = [
    ...[...event.added, ...event.changed].map(now),
    ...[...event.changed, ...event.removed].map(before),
    ...event.renamed.flatMap((r) => [before(r.from), now(r.to)]),
  ];

  const pages = new Set<string>(["/", "/archive/", "/categories/", "/keywords/"]);
  for (const [ref, changed] of reads) {
    if (changed.url) pages.add(changed.url);
    const post = await quire(Affected, { ref, path: changed.path }, { preview: false }).then(
      (data) => data.at.post,
      (error: Error) => {
        // Say, the previous commit is no longer in the branch's history after a force-push:
        // without knowing where the post was listed, every page is made again on its next visit.
        console.warn(`revalidating every page: cannot read ${changed.path} at ${ref}: ${error.message}`);
        revalidatePath("/", "layout");
        return null;
      },
    );
    if (!post) continue;
    if (post.url) pages.add(post.url);
    for (const near of [post.previous, post.next, ...post.links.map((l) => l.post)]) {
      if (near?.url) pages.add(near.url);
    }
    if (post.isoWeek) pages.add(weekPath(post.isoWeek.year, post.isoWeek.week));
    const month = /^(\d{4})-(\d{2})/.exec(post.date ?? "");
    if (month) pages.add(monthPath(Number(month[1]), Number(month[2])));
    if (post.parent?.url) pages.add(post.parent.url);
    for (const c of post.categories) pages.add(termPath("categories", c.slug));
    for (const k of post.keywords) pages.add(termPath("keywords", k.slug));
  }
  for (const page of pages) revalidatePath(page);
  // A listing's later pages start after a cursor, and which of them holds a post is not known
  // here: they are made again on their next visit, whichever listing they belong to.
  for (const route of OLDER_PAGES) revalidatePath(route, "page");
  return Response.json({ commit: event.commit, revalidated: [...pages].sort(), routes: OLDER_PAGES });
}
