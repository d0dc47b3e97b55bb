import { notFound } from "next/navigation";
import { Older, PostList } from "../../../components/PostList";
import { HomePage } from "../../../lib/queries";
import { quire } from "../../../lib/quire";
import { QuireError } from "../../../lib/request";

// Pages after the first are made on their first visit, then kept until a notification.
export function generateStaticParams() {
  return [];
}

/** Older posts, after the cursor of the previous page's last post. */
export default async function OlderPosts({ params }: { params: Promise<{ cursor: string }> }) {
  const { cursor } = await params;
  const { posts } = await quire(HomePage, { after: cursor }).catch((error) => {
    // A cursor Quire cannot read is a URL that names no page.
    if (error instanceof QuireError && error.codes.includes("BAD_USER_INPUT")) notFound();
    throw error;
  });
  if (posts.nodes.length === 0) notFound();
  return (
    <>
      <PostList posts={posts.nodes} />
      <Older href={posts.pageInfo.hasNextPage ? `/page/${posts.pageInfo.endCursor}/` : null} />
    </>
  );
}
