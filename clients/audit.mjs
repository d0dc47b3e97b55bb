// Runs the graphql-http conformance audit (serverAudits) against a live Quire and prints one JSON
// object: counts per level (MUST, SHOULD, MAY) and every audit that did not pass, with its reason.
//   node audit.mjs http://127.0.0.1:8080/graphql
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <graphql url>');
  process.exit(2);
}

const counts = {};
const failed = [];
for (const audit of serverAudits({ url })) {
  const result = await audit.fn();
  const level = audit.name.split(' ')[0]; // MUST, SHOULD or MAY ("MAY NOT" counts as MAY)
  counts[level] ??= { passed: 0, failed: 0 };
  if (result.status === 'ok') {
    counts[level].passed += 1;
  } else {
    counts[level].failed += 1;
    failed.push({ id: audit.id, name: audit.name, reason: result.reason });
  }
}
console.log(JSON.stringify({ counts, failed }, null, 2));
