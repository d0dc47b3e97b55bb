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
  const reads: [string, ChangedPost][] = [
    ...[...event.added, ...event.changed].map((p) => [event.commit, p] as [string, ChangedPost]),
    ...event.changed.map((p) => [event.previous, p] as [string, ChangedPost]),
    ...event.removed.map((p) => [event.previous, p] as [string, ChangedPost]),
    ...event.renamed.flatMap((r) => [[event.previous, r.from] as [string, ChangedPost], [event.commit, r.to] as [string, ChangedPost]]),
  ];
  const pages = new Set<string>(["/", "/archive/", "/categories/", "/keywords/"]);
  const trees = new Set<string>();
  for (const [ref, changed] of reads) {
    if (changed.url) pages.add(changed.url);
    const { at } = await quire(Affected, { ref, path: changed.path }, { preview: false });
    const post = at.post;
    if (!post) continue;
    if (post.url) pages.add(post.url);
    for (const near of [post.previous, post.next, ...post.links.map((l) => l.post)]) {
      if (near?.url) pages.add(near.url);
    }
    if (post.isoWeek) pages.add(weekPath(post.isoWeek.year, post.isoWeek.week));
    const month = /^(\d{4})-(\d{2})/.exec(post.date ?? "");
    if (month) pages.add(monthPath(Number(month[1]), Number(month[2])));
    if (post.parent?.url) pages.add(post.parent.url);
    if (post.parent) trees.add(`/sections/${post.parent.path}/`);
    // A term's first page and the pages after it.
    for (const c of post.categories) trees.add(termPath("categories", c.slug));
    for (const k of post.keywords) trees.add(termPath("keywords", k.slug));
  }
  for (const page of pages) revalidatePath(page);
  for (const tree of trees) revalidatePath(tree, "layout");
  // The home page's older pages start after a cursor: any of them may now hold another post.
  revalidatePath("/page/[cursor]", "page");
  return Response.json({ commit: event.commit, revalidated: [...pages, ...trees].sort() });
}
