// Opens Quire's GraphiQL page in headless Chromium (Debian's, driven by playwright-core), runs a
// query from the editor, waits for the expected text in the result pane, and saves a screenshot.
//   node graphiql.mjs <quire base url> <query> <expected text> <screenshot.png>
// These machines have no internet: requests for the CDN the page loads React and GraphiQL from
// are answered from the npm-installed copies of the same versions, and any other request that
// leaves the machine fails the run.
import { readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const [base, query, expected, screenshot] = process.argv.slice(2);
if (!screenshot) {
  console.error('usage: node graphiql.mjs <quire base url> <query> <expected text> <screenshot.png>');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const CDN = process.env.GRAPHIQL_ASSETS ?? 'https://unpkg.com';
const TYPES = { '.js': 'application/javascript', '.css': 'text/css', '.map': 'application/json' };

/** `<CDN>/<package>@<version>/<file>` from node_modules, if the installed version matches. */
function fromNodeModules(url) {
  const path = decodeURIComponent(url.slice(CDN.length + 1));
  const match = /^((?:@[^/]+\/)?[^@/]+)@([^/]+)\/(.+)$/.exec(path);
  if (!match) throw new Error(`not a package URL: ${url}`);
  const [, name, version, file] = match;
  const root = join(here, 'node_modules', name);
  const installed = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  if (installed !== version) {
    throw new Error(`the page asks for ${name}@${version}, clients/package.json has ${installed}: keep them equal`);
  }
  return { body: readFileSync(join(root, file)), contentType: TYPES[extname(file)] ?? 'application/octet-stream' };
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-dev-shm-usage',
  ],
});
const problems = [];
const served = [];
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith(`${CDN}/`)) {
      try {
        const { body, contentType } = fromNodeModules(url);
        served.push(url.slice(CDN.length + 1));
        return route.fulfill({ status: 200, body, contentType, headers: { 'access-control-allow-origin': '*' } });
      } catch (err) {
        problems.push(String(err.message));
        return route.abort();
      }
    }
    if (url.startsWith(base) || url.startsWith(base.replace(/^http/, 'ws'))) return route.continue();
    problems.push(`request leaving the machine: ${url}`);
    return route.abort();
  });

  await page.goto(`${base}/graphql`, { waitUntil: 'load' });
  const editor = '.graphiql-query-editor .CodeMirror';
  await page.waitForSelector(editor, { timeout: 30_000 });
  await page.evaluate(([selector, text]) => document.querySelector(selector).CodeMirror.setValue(text), [editor, query]);
  await page.click('.graphiql-execute-button');
  const result = '.graphiql-response .CodeMirror';
  await page.waitForFunction(
    ([selector, text]) => document.querySelector(selector)?.CodeMirror.getValue().includes(text),
    [result, expected],
    { timeout: 30_000 },
  );
  const shown = await page.evaluate((selector) => document.querySelector(selector).CodeMirror.getValue(), result);
  await page.screenshot({ path: screenshot });
  console.log(JSON.stringify({ result: JSON.parse(shown), served, problems }));
} catch (err) {
  console.log(JSON.stringify({ error: String(err.message ?? err), served, problems }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
