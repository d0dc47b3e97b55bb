// Older posts of a section: /sections/<section path>/<cursor>/ (the section's own URL has the
// newest ones).
import { notFound } from "next/navigation";
import { Older, PostList } from "../../../components/PostList";
import { SectionPosts, sectionPagePath } from "../../../lib/queries";
import { quire } from "../../../lib/quire";
import { QuireError } from "../../../lib/request";

export function generateStaticParams() {
  return [];
}

export default async function OlderInSection({ params }: { params: Promise<{ rest: string[] }> }) {
  const { rest } = await params;
  if (rest.length < 2) notFound();
  const path = rest.slice(0, -1).map(decodeURIComponent).join("/");
  const cursor = rest[rest.length - 1];
  const { section } = await quire(SectionPosts, { path, after: cursor }).catch((error) => {
    if (error instanceof QuireError && error.codes.includes("BAD_USER_INPUT")) notFound();
    throw error;
  });
  if (!section || section.posts.nodes.length === 0) notFound();
  const { pageInfo } = section.posts;
  return (
    <>
      <h1>{section.title}</h1>
      <PostList posts={section.posts.nodes} />
      <Older href={pageInfo.hasNextPage && pageInfo.endCursor ? sectionPagePath(path, pageInfo.endCursor) : null} />
    </>
  );
}
