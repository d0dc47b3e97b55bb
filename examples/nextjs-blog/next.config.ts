import type { NextConfig } from "next";
import { everyPost } from "./lib/posts";

// Next keeps what pages fetched (.next/cache/fetch-cache) from one build to the next, keyed by
// the request. Every request to Quire carries this build's id (lib/quire.ts), so a build reads
// the content as it is now, never a previous build's answers.
const build = process.env.SITE_BUILD_ID ?? `build-${Date.now().toString(36)}`;

const nextConfig: NextConfig = {
  generateBuildId: async () => build,
  // Hugo's URLs end with a slash, and so do the site's.
  trailingSlash: true,
  env: {
    SITE_BUILD_ID: build,
    // The browser's Quire (search): the same as the server's unless said otherwise.
    NEXT_PUBLIC_QUIRE_URL: process.env.NEXT_PUBLIC_QUIRE_URL ?? process.env.QUIRE_URL ?? "http://127.0.0.1:8080",
  },
  // A post's `aliases` answer 301 to its URL. These are the absolute aliases at build time; a
  // relative one, or one that arrives later, is redirected by the post route itself (308, also
  // permanent).
  async redirects() {
    const posts = await everyPost();
    return posts.flatMap((post) =>
      post.aliases
        .filter((alias) => alias.startsWith("/") && alias !== post.url)
        .map((alias) => ({ source: literal(alias), destination: post.url, statusCode: 301 as const })),
    );
  },
};

/** `path` as a redirect source that matches only itself (`:`, `(`, `*`… are patterns there). */
function literal(path: string): string {
  return path.replace(/[:()*+?{}\\]/g, "\\$&");
}

export default nextConfig;
