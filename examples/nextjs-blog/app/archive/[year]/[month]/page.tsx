// The posts of one month: /archive/2017/12/.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PostList } from "../../../../components/PostList";
import { graphql } from "../../../../gql";
import type { MonthPostsQuery, PostItemFragment } from "../../../../gql/graphql";
import { monthName } from "../../../../lib/format";
import { quire } from "../../../../lib/quire";

const MonthPosts = graphql(`
  query MonthPosts($year: Int!, $month: Int!, $after: String) {
    posts(filter: { year: $year, month: $month }, first: 100, after: $after) {
      ...PostPage
    }
  }
`);

type Params = { params: Promise<{ year: string; month: string }> };

function period(year: string, month: string): { year: number; month: number } | null {
  if (!/^\d{4}$/.test(year) || !/^\d{2}$/.test(month)) return null;
  const m = Number(month);
  return m >= 1 && m <= 12 ? { year: Number(year), month: m } : null;
}

export function generateStaticParams() {
  return [];
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const p = period((await params).year, (await params).month);
  return { title: p ? `${monthName(p.month)} ${p.year}` : undefined };
}

export default async function Month({ params }: Params) {
  const { year, month } = await params;
  const p = period(year, month);
  if (!p) notFound();
  // Every post of the month on one page, however many pages of 100 that takes.
  const posts: PostItemFragment[] = [];
  let after: string | null | undefined = null;
  do {
    const data: MonthPostsQuery = await quire(MonthPosts, { ...p, after });
    posts.push(...data.posts.nodes);
    after = data.posts.pageInfo.hasNextPage ? data.posts.pageInfo.endCursor : null;
  } while (after);
  if (posts.length === 0) notFound();
  return (
    <>
      <h1>
        {monthName(p.month)} {p.year}
      </h1>
      <p className="meta">
        <Link href="/archive/">Archive</Link>
      </p>
      <PostList posts={posts} />
    </>
  );
}
