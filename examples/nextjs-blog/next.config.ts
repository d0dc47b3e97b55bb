import type { NextConfig } from "next";
import { everyPost } from "./lib/posts";

const nextConfig: NextConfig = {
  // Hugo's URLs end with a slash, and so do the site's.
  trailingSlash: true,
  env: {
    // The browser's Quire (search): the same as the server's unless said otherwise.
    NEXT_PUBLIC_QUIRE_URL: process.env.NEXT_PUBLIC_QUIRE_URL ?? process.env.QUIRE_URL ?? "http://127.0.0.1:8080",
  },
  // A post's `aliases` answer 301 to its URL. These are the aliases at build time; one that
  // arrives later is redirected by the post route itself (308, also permanent).
  async redirects() {
    const posts = await everyPost();
    return posts.flatMap((post) =>
      post.aliases
        .filter((alias) => alias !== post.url)
        .map((alias) => ({ source: alias, destination: post.url, statusCode: 301 as const })),
    );
  },
};

export default nextConfig;
