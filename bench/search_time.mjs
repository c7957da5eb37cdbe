// Query time in Debian's Chromium: the first query (which loads the client and the
// manifest), then each further query timed around window.helpdeck.search; p50 and p95.
// usage: node search_time.mjs <site_out_dir> <lang> <word> <word> …
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const [, , outDir, lang, ...words] = process.argv;
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.gz': 'application/octet-stream' };
const server = http.createServer((req, res) => {
  let file = path.join(outDir, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (file.endsWith('/')) file += 'index.html';
  fs.readFile(file, (err, bytes) => {
    if (err) { res.writeHead(404); return res.end(); }
    res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream' });
    res.end(bytes);
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage();
const home = lang === 'en' ? '/' : `/${lang}/`;
await page.goto(`http://127.0.0.1:${server.address().port}${home}`);
// Each word as a new query, then typed letter by letter as the search box sends it.
const [timings, keystrokes] = await page.evaluate(async (words) => {
  const out = [];
  const typed = [];
  for (const w of words) {
    let t = performance.now();
    const r = await window.helpdeck.search(w);
    out.push([w, performance.now() - t, r.length]);
    const letters = [...w];
    for (let n = 1; n <= letters.length; n++) {
      t = performance.now();
      await window.helpdeck.search(letters.slice(0, n).join(''));
      typed.push(performance.now() - t);
    }
  }
  return [out, typed];
}, words);
await browser.close();
server.close();
const [first, ...rest] = timings;
const sorted = rest.map(([, ms]) => ms).sort((a, b) => a - b);
const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
keystrokes.sort((a, b) => a - b);
const kpct = (p) => keystrokes[Math.min(keystrokes.length - 1, Math.floor(p * keystrokes.length))];
console.log(JSON.stringify({
  lang,
  first_query_ms: Math.round(first[1]),
  new_words: rest.length,
  new_word_p50_ms: +pct(0.5).toFixed(2),
  new_word_p95_ms: +pct(0.95).toFixed(2),
  with_results: rest.filter(([, , n]) => n > 0).length,
  keystrokes: keystrokes.length,
  keystroke_p50_ms: +kpct(0.5).toFixed(2),
  keystroke_p95_ms: +kpct(0.95).toFixed(2),
}));
