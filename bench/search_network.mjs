// Search as a buyer on a phone network sees it (issue 26): Debian's Chromium with CDP network
// throttling (150 ms latency, 1.6 Mbps down, 750 kbps up, browser cache empty), a freshly
// loaded page, the search box focused, a moment of typing, then the query: the time until the
// first five results are on screen (title links, not placeholders) and the requests made from
// focus on. helpdeck's header box and Pagefind's own UI (pagefind-ui.js, on a page of the same
// site) alternate per query. TYPED=1: the query is typed a key at a time, as a buyer types
// (every tool searches as it goes), and the time runs from the last key to the moment the
// first five results last changed: the results of the whole query, on screen.
// usage: [TYPED=1] node search_network.mjs <helpdeck_out> <pagefind_out> <lang:query> …
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const [, , hdOut, pfOut, ...queries] = process.argv;
const LATENCY_MS = 150;
const DOWN = (1.6 * 1e6) / 8;
const UP = (750 * 1e3) / 8;
/** How long a buyer takes to type a short query after focusing the box. */
const TYPING_MS = 800;
/** Between two keys of a query typed on a phone. */
const KEY_MS = 180;
const TYPED = process.env.TYPED === '1';

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json' };
function serve(root) {
  const server = http.createServer((req, res) => {
    let file = path.join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (file.endsWith('/')) file += 'index.html';
    fs.readFile(file, (err, bytes) => {
      if (err) { res.writeHead(404); return res.end(); }
      const headers = { 'Content-Type': types[path.extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-store' };
      // One byte range, as every static host answers it.
      const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range || '');
      if (range) {
        const [start, end] = [Number(range[1]), Math.min(Number(range[2]), bytes.length - 1)];
        res.writeHead(206, { ...headers, 'Content-Range': `bytes ${start}-${end}/${bytes.length}` });
        return res.end(bytes.subarray(start, end + 1));
      }
      res.writeHead(200, headers);
      res.end(bytes);
    });
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() })));
}

// A page of the Pagefind site with Pagefind's default UI, in the query's language.
for (const lang of new Set(queries.map((q) => q.split(':')[0]))) {
  fs.writeFileSync(
    path.join(pfOut, `pagefind-ui.${lang}.html`),
    `<!DOCTYPE html><html lang="${lang}"><head><meta charset="utf-8"><title>Search</title>` +
      `<link href="/pagefind/pagefind-ui.css" rel="stylesheet"><script src="/pagefind/pagefind-ui.js"></script></head>` +
      `<body><div id="search"></div><script>new PagefindUI({ element: "#search", showSubResults: true });</script></body></html>`,
  );
}

const hd = await serve(hdOut);
const pf = await serve(pfOut);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

async function measure(tool, lang, query) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: LATENCY_MS, downloadThroughput: DOWN, uploadThroughput: UP });
  const home = tool === 'helpdeck' ? `${hd.url}${lang === 'en' ? '/' : `/${lang}/`}` : `${pf.url}/pagefind-ui.${lang}.html`;
  await page.goto(home, { waitUntil: 'load' });
  const input = tool === 'helpdeck' ? page.locator('form[data-search-index] input[name=q]') : page.locator('.pagefind-ui__search-input');
  const results = tool === 'helpdeck' ? '#hd-search-popup .search-result a' : '.pagefind-ui__result-link';
  let requests = 0;
  page.on('request', () => requests++);
  await input.focus();
  await page.waitForTimeout(TYPING_MS);
  const afterFocus = requests;
  let ms;
  if (TYPED) {
    // Every change of the first five results, and the last key typed, in the page's own clock.
    await page.evaluate((sel) => {
      const firstFive = () => [...document.querySelectorAll(sel)].filter((a) => a.textContent.trim()).slice(0, 5).map((a) => a.getAttribute('href')).join(' ');
      window.__shown = [];
      document.addEventListener('input', () => { window.__lastKey = performance.now(); }, true);
      new MutationObserver(() => {
        const now = firstFive();
        if (now !== (window.__shown.at(-1) || [])[1]) window.__shown.push([performance.now(), now]);
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    }, results);
    await input.pressSequentially(query, { delay: KEY_MS });
    await page.waitForFunction((sel) => [...document.querySelectorAll(sel)].filter((a) => a.textContent.trim()).length >= 5, results, { polling: 'raf', timeout: 60000 });
    // Settled: nothing fetched and nothing changed for two seconds.
    let seen = -1;
    while (seen !== requests) { seen = requests; await page.waitForTimeout(2000); }
    const [shownLog, lastKey] = await page.evaluate(() => [window.__shown, window.__lastKey]);
    ms = Math.max(0, Math.round(shownLog.at(-1)[0] - lastKey));
  } else {
    const started = Date.now();
    await input.fill(query);
    await page.waitForFunction((sel) => [...document.querySelectorAll(sel)].filter((a) => a.textContent.trim()).length >= 5, results, { polling: 'raf', timeout: 60000 });
    ms = Date.now() - started;
  }
  const shown = await page.locator(results).count();
  await context.close();
  return { ms, requests, after_query: requests - afterFocus, shown };
}

const rows = [];
for (const q of queries) {
  const [lang, query] = [q.slice(0, q.indexOf(':')), q.slice(q.indexOf(':') + 1)];
  const h = await measure('helpdeck', lang, query);
  const p = await measure('pagefind', lang, query);
  rows.push({ lang, query, helpdeck: h, pagefind: p });
  console.log(`${lang.padEnd(3)} ${query.padEnd(10)} helpdeck ${String(h.ms).padStart(5)} ms, ${h.requests} requests (${h.after_query} after the query) | pagefind ${String(p.ms).padStart(5)} ms, ${p.requests} requests (${p.after_query} after the query) | ratio ${(h.ms / p.ms).toFixed(2)}`);
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const hm = median(rows.map((r) => r.helpdeck.ms));
const pm = median(rows.map((r) => r.pagefind.ms));
console.log(`median over ${rows.length} queries: helpdeck ${hm} ms, ${median(rows.map((r) => r.helpdeck.requests))} requests; pagefind ${pm} ms, ${median(rows.map((r) => r.pagefind.requests))} requests; ratio ${(hm / pm).toFixed(2)}`);
await browser.close();
hd.close();
pf.close();
