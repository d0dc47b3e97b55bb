// The posts of one ISO week: /weeks/2017-W50/.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PostList } from "../../../components/PostList";
import { graphql } from "../../../gql";
import { parseWeek, weekPath } from "../../../lib/format";
import { quire } from "../../../lib/quire";

const WeekPosts = graphql(`
  query WeekPosts($year: Int!, $week: Int!) {
    postsByWeek(year: $year, week: $week) {
      ...PostItem
    }
  }
`);

type Params = { params: Promise<{ week: string }> };

export function generateStaticParams() {
  return [];
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  return { title: `Week ${(await params).week}` };
}

export default async function Week({ params }: Params) {
  const week = parseWeek((await params).week);
  if (!week) notFound();
  const { postsByWeek } = await quire(WeekPosts, week);
  if (postsByWeek.length === 0) notFound();
  return (
    <>
      <h1>
        Week {week.week} of {week.year}
      </h1>
      <p className="meta">
        <Link href="/archive/">Archive</Link> · <Link href={weekPath(week.year, week.week)}>{week.year}-W{String(week.week).padStart(2, "0")}</Link>
      </p>
      <PostList posts={postsByWeek} />
    </>
  );
}
