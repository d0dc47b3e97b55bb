import { Older, PostList } from "../components/PostList";
import { HomePage } from "../lib/queries";
import { quire } from "../lib/quire";

/** The newest posts; older ones at /page/<cursor>/. */
export default async function Home() {
  const { posts } = await quire(HomePage, { after: null });
  return (
    <>
      <PostList posts={posts.nodes} />
      <Older href={posts.pageInfo.hasNextPage ? `/page/${posts.pageInfo.endCursor}/` : null} />
    </>
  );
}
