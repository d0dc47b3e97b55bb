// Crawls a site in headless Chromium from its home page: every page reachable by links on the
// site, every image on them, every in-page anchor. Then checks one post page's table of
// contents and footnotes by clicking them, searches, and saves screenshots.
//   node crawl-site.mjs <site url> <screenshot dir> <post path> <search words>
// Prints one JSON object: { pages, images, links, anchors, problems, ... }. A problem is a page
// that is not 200 (the deliberate check of an unknown URL, which must be 404, aside), a link to
// nothing, an anchor to no element, an image that did not load, a console or page error, a
// request leaving the machine, or a post page whose body is empty.
import { mkdirSync } from 'node:fs';
import { launch, watch } from './browser.mjs';

const [site, shots, postPath, searchWords] = process.argv.slice(2);
if (!searchWords) {
  console.error('usage: node crawl-site.mjs <site url> <screenshot dir> <post path> <search words>');
  process.exit(2);
}
const origin = new URL(site).origin;
const WORKERS = 3;
const started = Date.now();
mkdirSync(shots, { recursive: true });

const problems = [];
const queue = ['/'];
const found = new Map([['/', 'the start']]); // page path -> the page that linked to it first
const ids = new Map(); // page path -> the element ids it has
const wanted = []; // [from, page path, id]: links to an anchor of another page
let images = 0;
let links = 0;
let anchors = 0;
let posts = 0;

/** A link's page on this site (path and query, no fragment), or null for another site. */
function internal(href, base) {
  const url = new URL(href, base);
  if (url.origin !== origin || !/^https?:$/.test(url.protocol)) return null;
  return { page: url.pathname + url.search, hash: url.hash ? decodeURIComponent(url.hash.slice(1)) : '' };
}

let busy = 0; // tabs reading a page, which may add to the queue

/** Takes pages from the queue until it is empty and no tab can add to it. */
async function crawl(page, state) {
  for (;;) {
    const path = queue.shift();
    if (path === undefined) {
      if (busy === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    busy += 1;
    try {
      await visit(page, state, path);
    } finally {
      busy -= 1;
    }
  }
}

/** Reads the page at `path`: its answer, images, post body, links and ids. */
async function visit(page, state, path) {
    state.where = path;
    const response = await page.goto(origin + path, { waitUntil: 'load' }).catch((err) => {
      problems.push(`${path} (linked from ${found.get(path)}): ${err.message}`);
      return null;
    });
    if (!response) return;
    if (response.status() !== 200) {
      problems.push(`${path} (linked from ${found.get(path)}): answered ${response.status()}`);
      return;
    }
    const seen = await page.evaluate(async () => {
      // Every image, lazy ones too, loaded and decoded: each by a copy, since changing the
      // page's own (say, to load eagerly) could race React's hydration of it.
      const imgs = [...document.images];
      const broken = [];
      await Promise.all(imgs.map(async (img) => {
        const copy = new Image();
        copy.src = img.currentSrc || img.src;
        try {
          await copy.decode();
        } catch {
          broken.push(copy.src);
        }
      }));
      const body = document.querySelector('article.post .body');
      return {
        images: imgs.length,
        broken,
        hrefs: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
        ids: [...document.querySelectorAll('[id]')].map((e) => e.id),
        post: body !== null,
        bodyText: body ? body.textContent.trim().length + body.querySelectorAll('img, figure, iframe, .embed').length : 0,
      };
    });
    images += seen.images;
    for (const src of seen.broken) problems.push(`${path}: image did not load: ${src}`);
    if (seen.post) {
      posts += 1;
      if (seen.bodyText === 0) problems.push(`${path}: the post's body is empty`);
    }
    const here = new Set(seen.ids);
    ids.set(path, here);
    for (const href of seen.hrefs) {
      const link = internal(href, origin + path);
      if (!link) continue;
      links += 1;
      if (link.hash) {
        anchors += 1;
        if (link.page === path) {
          if (!here.has(link.hash)) problems.push(`${path}: link to #${link.hash}, which no element has`);
        } else {
          wanted.push([path, link.page, link.hash]);
        }
      }
      // API routes are not pages (the preview route answers 401 without its secret).
      if (link.page.startsWith('/api/')) continue;
      if (!found.has(link.page)) {
        found.set(link.page, path);
        queue.push(link.page);
      }
    }
}

const browser = await launch();
const report = {};
try {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  // Several tabs share the queue; a tab waits while the others may still find pages.
  await Promise.all(Array.from({ length: WORKERS }, async () => {
    const page = await context.newPage();
    const state = { where: '' };
    watch(page, problems, { where: () => state.where });
    await crawl(page, state);
    await page.close();
  }));
  for (const [from, path, id] of wanted) {
    if (ids.has(path) && !ids.get(path).has(id)) problems.push(`${from}: link to ${path}#${id}, which no element has`);
  }

  const page = await context.newPage();
  const state = { where: '' };
  const missing = '/no-such-page/on-this-site/';
  watch(page, problems, {
    where: () => state.where,
    expected: (url, status) => status === 404 && new URL(url).pathname === missing,
  });

  // The deliberate 404.
  state.where = missing;
  const notFound = await page.goto(origin + missing, { waitUntil: 'load' });
  report.notFound = { status: notFound.status(), text: (await page.textContent('main')).trim() };

  // Home, then the post page: its contents and footnotes, clicked.
  state.where = '/';
  await page.goto(origin + '/', { waitUntil: 'load' });
  await page.screenshot({ path: `${shots}/home.png` });
  state.where = postPath;
  await page.goto(origin + postPath, { waitUntil: 'load' });
  await page.screenshot({ path: `${shots}/post.png`, fullPage: true });
  report.toc = await clickEach(page, '.toc a');
  const refs = await page.$$eval('sup.footnote-ref a', (as) => as.map((a) => a.getAttribute('href')));
  report.footnotes = [];
  for (const [i, href] of refs.entries()) {
    await page.locator('sup.footnote-ref a').nth(i).click();
    const note = await visible(page, href.slice(1));
    const back = await page.locator(`[id="${href.slice(1)}"] a.footnote-back`).first();
    const backHref = await back.getAttribute('href');
    await back.click();
    report.footnotes.push({ note: href, shown: note, back: backHref, returned: await visible(page, backHref.slice(1)) });
  }

  // Search from the browser, straight to Quire.
  state.where = '/search/';
  await page.goto(origin + '/search/', { waitUntil: 'load' });
  await page.fill('input[type=search]', searchWords);
  await page.waitForSelector('.search-results li', { timeout: 20_000 });
  report.search = await page.$$eval('.search-results li', (items) =>
    items.map((li) => ({ href: li.querySelector('a')?.getAttribute('href'), snippet: li.querySelector('.snippet')?.innerHTML })));
  await page.screenshot({ path: `${shots}/search.png` });
} catch (err) {
  problems.push(`crawler: ${err.stack ?? err}`);
} finally {
  await browser.close();
}
console.log(JSON.stringify({
  pages: ids.size, posts, images, links, anchors, seconds: (Date.now() - started) / 1000, ...report, problems,
}));

/** Clicks every link matching `selector` in turn; for each, whether its target is on screen. */
async function clickEach(page, selector) {
  const hrefs = await page.$$eval(selector, (as) => as.map((a) => a.getAttribute('href')));
  const out = [];
  for (const [i, href] of hrefs.entries()) {
    await page.locator(selector).nth(i).click();
    out.push({ href, hash: await page.evaluate(() => location.hash), shown: await visible(page, decodeURIComponent(href.slice(1))) });
  }
  return out;
}

/** Whether the element with id `id` exists and its top is within the window. */
function visible(page, id) {
  return page.waitForFunction((id) => {
    const element = document.getElementById(id);
    if (!element) return false;
    const top = element.getBoundingClientRect().top;
    return top >= -1 && top < window.innerHeight;
  }, id, { timeout: 5_000 }).then(() => true, () => false);
}
