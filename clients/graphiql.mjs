// Opens Quire's GraphiQL page in headless Chromium (Debian's, driven by playwright-core), runs a
// query from the editor, waits for the expected text in the result pane, and saves a screenshot.
//   node graphiql.mjs <quire base url> <query> <expected text> <screenshot.png>
// Nothing may leave the machine: the page must work from the assets Quire serves itself. Every
// request to a host other than 127.0.0.1 or localhost is aborted and reported as a problem (the
// test fails on any), and Chromium resolves no other name.
import { chromium } from 'playwright-core';

const [base, query, expected, screenshot] = process.argv.slice(2);
if (!screenshot) {
  console.error('usage: node graphiql.mjs <quire base url> <query> <expected text> <screenshot.png>');
  process.exit(2);
}
const LOCAL = new Set(['127.0.0.1', 'localhost', '[::1]']);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-dev-shm-usage',
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
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
  await page.route('**/*', (route) => {
    const url = route.request().url();
    const { protocol, hostname } = new URL(url);
    if (LOCAL.has(hostname) || protocol === 'data:' || protocol === 'blob:') {
      served.push(url);
      return route.continue();
    }
    problems.push(`request leaving the machine: ${url}`);
    return route.abort('blockedbyclient');
  });
  page.on('requestfailed', (request) => {
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} for ${response.url()}`);
  });
  // WebSockets do not go through page.route.
  page.on('websocket', (socket) => {
    const { hostname } = new URL(socket.url());
    if (!LOCAL.has(hostname)) problems.push(`WebSocket leaving the machine: ${socket.url()}`);
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
