import { GraphQLClient } from "graphql-request";

const quire = new GraphQLClient(process.env.QUIRE_URL ?? "http://127.0.0.1:8080/graphql");

const { post } = await quire.request(
  `query Post($slug: String!) { post(slug: $slug) { title date html } }`,
  { slug: "week-50-2017" },
);
const { postsByCategory } = await quire.request(
  `query Category($name: String!) { postsByCategory(category: $name, first: 10) { nodes { slug title } } }`,
  { name: "Weekly Notes" },
);
console.log(JSON.stringify({ title: post.title, inCategory: postsByCategory.nodes.length }));
