// Opens Quire's GraphiQL page in headless Chromium (Debian's, driven by playwright-core), runs a
// query from the editor, waits for the expected text in the result pane, and saves a screenshot.
//   node graphiql.mjs <quire base url> <query> <expected text> <screenshot.png>
// Nothing may leave the machine: the page must work from the assets Quire serves itself. Every
// request to a host other than 127.0.0.1 or localhost is aborted and reported as a problem (the
// test fails on any), and Chromium resolves no other name.
import { launch, watch } from './browser.mjs';

const [base, query, expected, screenshot] = process.argv.slice(2);
if (!screenshot) {
  console.error('usage: node graphiql.mjs <quire base url> <query> <expected text> <screenshot.png>');
  process.exit(2);
}
const browser = await launch();
const problems = [];
const served = [];
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  watch(page, problems, { served, where: () => 'GraphiQL' });

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
