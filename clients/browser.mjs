// Headless Chromium (Debian's, driven by playwright-core) for the browser tests, with nothing
// allowed to leave the machine: Chromium resolves no name but 127.0.0.1 and localhost, and every
// request to another host is reported (watching requests costs far less than intercepting each).
import { chromium } from 'playwright-core';

const LOCAL = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Starts the browser ($CHROMIUM or /usr/bin/chromium). */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
    ],
  });
}

/**
 * Watches `page`: page errors, console errors, failed requests, answers of 400 or more (except
 * those `expected(url, status)` allows) and requests leaving the machine go to `problems`
 * (`where()` names the page being read); the URLs served go to `served` when it is given.
 */
export function watch(page, problems, { where = () => page.url(), served, expected = () => false } = {}) {
  page.on('pageerror', (err) => problems.push(`${where()}: page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // Chromium logs every answer of 400 or more as an error of the page that asked.
    const status = /^Failed to load resource: .* status of (\d+)/.exec(msg.text());
    if (status && expected(msg.location().url, Number(status[1]))) return;
    const at = msg.location().url;
    problems.push(`${where()}: console error: ${msg.text()}${at ? ` (${at})` : ''}`);
  });
  page.on('request', (request) => {
    const url = request.url();
    const { protocol, hostname } = new URL(url);
    if (LOCAL.has(hostname) || protocol === 'data:' || protocol === 'blob:') {
      served?.push(url);
    } else {
      problems.push(`${where()}: request leaving the machine: ${url}`);
    }
  });
  page.on('requestfailed', (request) => {
    const error = request.failure()?.errorText ?? '';
    // A navigation or prefetch cut short by the next one is not a failure of the site.
    if (error === 'net::ERR_ABORTED') return;
    problems.push(`${where()}: request failed: ${request.url()} (${error})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !expected(response.url(), response.status())) {
      problems.push(`${where()}: ${response.status()} for ${response.url()}`);
    }
  });
  page.on('websocket', (socket) => {
    const { hostname } = new URL(socket.url());
    if (!LOCAL.has(hostname)) problems.push(`${where()}: WebSocket leaving the machine: ${socket.url()}`);
  });
}
