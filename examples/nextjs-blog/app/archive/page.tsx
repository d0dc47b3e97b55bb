// Every month and ISO week with posts, newest first.
import Link from "next/link";
import { graphql } from "../../gql";
import { monthName, monthPath, weekPath } from "../../lib/format";
import { quire } from "../../lib/quire";

const Archive = graphql(`
  query Archive {
    months: archive(by: MONTH) {
      year
      month
      count
    }
    weeks: archive(by: ISO_WEEK) {
      year
      week
      count
    }
  }
`);

export const metadata = { title: "Archive" };

export default async function ArchivePage() {
  const { months, weeks } = await quire(Archive, {});
  const years = [...new Set(months.map((m) => m.year))];
  return (
    <>
      <h1>Archive</h1>
      {years.map((year) => (
        <section key={year} className="archive-year">
          <h2>{year}</h2>
          <ul className="archive-months">
            {months
              .filter((m) => m.year === year && m.month)
              .map((m) => (
                <li key={m.month}>
                  <Link href={monthPath(year, m.month!)}>{monthName(m.month!)}</Link> <small>({m.count})</small>
                </li>
              ))}
          </ul>
          <p className="archive-weeks">
            Weeks:{" "}
            {weeks
              .filter((w) => w.year === year && w.week)
              .map((w) => (
                <Link key={w.week} href={weekPath(year, w.week!)} title={`${w.count} posts`}>
                  W{String(w.week).padStart(2, "0")}
                </Link>
              ))}
          </p>
        </section>
      ))}
    </>
  );
}
