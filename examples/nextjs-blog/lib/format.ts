// How the site writes dates and archive periods, and where each listing lives.

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December"];

/** "2017-12-11T09:00:00+11:00" as "11 December 2017": the day the author wrote, in any time zone. */
export function formatDate(date: string | null | undefined): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(date ?? "");
  if (!match) return "";
  return `${Number(match[3])} ${MONTHS[Number(match[2]) - 1]} ${match[1]}`;
}

export function monthName(month: number): string {
  return MONTHS[month - 1] ?? String(month);
}

/** The ISO week page: `/weeks/2017-W50/`. */
export function weekPath(year: number, week: number): string {
  return `/weeks/${year}-W${String(week).padStart(2, "0")}/`;
}

/** `2017-W50` as { year, week }, or null when it is not an ISO week. */
export function parseWeek(text: string): { year: number; week: number } | null {
  const match = /^(\d{4})-W(\d{2})$/.exec(text);
  if (!match) return null;
  const week = Number(match[2]);
  return week >= 1 && week <= 53 ? { year: Number(match[1]), week } : null;
}

export function monthPath(year: number, month: number): string {
  return `/archive/${year}/${String(month).padStart(2, "0")}/`;
}

export function termPath(taxonomy: "categories" | "keywords", slug: string): string {
  return `/${taxonomy}/${encodeURIComponent(slug)}/`;
}
