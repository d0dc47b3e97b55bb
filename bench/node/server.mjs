// The Node.js side of scripts/bench.sh: the same posts over GraphQL, the way a Node developer
// would serve them. At start, every post under DIR is read with gray-matter and rendered with
// marked (footnotes rendered apart, like Quire's default), so a request only looks a post up.
// One process, graphql-http's handler on node:http.
//
//   node server.mjs DIR PORT
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import matter from "gray-matter";
import { buildSchema } from "graphql";
import { createHandler } from "graphql-http/lib/use/http";
import { marked } from "marked";

const [dir, port] = process.argv.slice(2);
if (!dir || !port) {
  console.error("usage: node server.mjs DIR PORT");
  process.exit(2);
}

const schema = buildSchema(`
  type Footnote { number: Int! label: String! html: String! }
  type Post { slug: String! title: String! html: String! footnotes: [Footnote!]! }
  type Query { post(slug: String!): Post }
`);

const DEFINITION = /^\[\^([^\]]+)\]:[ \t]*(.*)$/gm;
const posts = new Map();
const started = Date.now();
for (const name of readdirSync(dir, { recursive: true })) {
  if (!String(name).endsWith(".md")) continue;
  const { data, content } = matter(readFileSync(join(dir, String(name)), "utf8"));
  const labels = [];
  const footnotes = [];
  const body = content.replace(DEFINITION, (_, label, text) => {
    labels.push(label);
    footnotes.push({ number: labels.length, label, html: marked.parseInline(text) });
    return "";
  });
  let html = marked.parse(body);
  labels.forEach((label, i) => {
    const n = i + 1;
    html = html.replaceAll(
      `[^${label}]`,
      `<sup class="footnote-ref"><a href="#fn-${n}" id="fnref-${n}">${n}</a></sup>`,
    );
  });
  const slug = data.slug ?? String(name).replace(/\.md$/, "");
  posts.set(slug, { slug, title: String(data.title ?? ""), html, footnotes });
}
console.error(`${posts.size} posts rendered in ${Date.now() - started} ms`);

const rootValue = { post: ({ slug }) => posts.get(slug) ?? null };
const handler = createHandler({ schema, rootValue });
createServer((req, res) => {
  if (req.url.startsWith("/graphql")) return handler(req, res);
  res.writeHead(404).end();
}).listen(Number(port), "127.0.0.1", () => {
  console.error(`node server on http://127.0.0.1:${port}/graphql`);
});
