import type { Metadata } from "next";
import { draftMode } from "next/headers";
import Link from "next/link";
import { cache } from "react";
import { graphql } from "../gql";
import { quire } from "../lib/quire";
import { QUIRE_PUBLIC_URL } from "../lib/request";
import "./globals.css";

const Site = graphql(`
  query Site {
    section(path: "") {
      title
      html
    }
    sections {
      path
      url
      linkTitle
    }
  }
`);

/** One query for the metadata and the layout of a request. */
const loadSite = cache(() => quire(Site, {}));

/** The site's own address, for canonical URLs and Open Graph. */
const SITE_URL = process.env.SITE_URL ?? "http://127.0.0.1:3000";

// Pages are generated at build and again when Quire says what changed (app/api/quire); this is
// a safety net in case a notification is lost: a page visited an hour after it was made is
// made again.
export const revalidate = 3600;

export async function generateMetadata(): Promise<Metadata> {
  const { section } = await loadSite();
  const title = section?.title ?? "Blog";
  return {
    metadataBase: new URL(SITE_URL),
    title: { default: title, template: `%s · ${title}` },
    alternates: {
      types: {
        "application/rss+xml": `${QUIRE_PUBLIC_URL}/feed.xml`,
        "application/atom+xml": `${QUIRE_PUBLIC_URL}/atom.xml`,
      },
    },
    openGraph: { siteName: title },
  };
}

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const { section, sections } = await loadSite();
  const preview = (await draftMode()).isEnabled;
  const top = sections.filter((s) => s.path !== "" && !s.path.includes("/") && s.url);
  return (
    <html lang="en">
      <head>
        {/* Highlighted code: the classes Quire writes, styled by the stylesheet it serves. */}
        <link rel="stylesheet" href={`${QUIRE_PUBLIC_URL}/highlight.css`} />
      </head>
      <body>
        {preview && (
          <p className="preview-banner">
            Preview: drafts and unpublished changes are shown. <a href="/api/draft/?disable=1">Leave preview</a>
          </p>
        )}
        <header className="site-header">
          <Link href="/" className="site-title">
            {section?.title ?? "Blog"}
          </Link>
          <nav>
            {top.map((s) => (
              <Link key={s.path} href={s.url!}>
                {s.linkTitle}
              </Link>
            ))}
            <Link href="/categories/">Categories</Link>
            <Link href="/archive/">Archive</Link>
            <Link href="/search/">Search</Link>
            <a href={`${QUIRE_PUBLIC_URL}/feed.xml`}>Feed</a>
          </nav>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
