// Watch-mode latency, helpdeck serve next to hugo server, in one run.
//
// For each of N edits (one English page at a time, alternating between the two servers) it
// measures, from the moment the file is written:
//   helpdeck: the reload event naming the page arrives; the page is served with the edit.
//   hugo:     the page's output file (hugo server --renderToDisk) holds the edit.
// and prints p50/p95 of each, and both servers' resident memory afterwards.
//
// Usage (sites from ../shared/bench/mksite.sh N DIR):
//   node bench/serve.mjs DIR/helpdeck-N DIR/hugo-N [edits=20] [pause_ms=300]
//   node bench/serve.mjs DIR/helpdeck-N - [edits=20] [pause_ms=300]     (helpdeck alone)
// The pause follows each edit; after a short one the next edit may wait for the work that
// follows the last (the language's search index, related articles), as a quick typist's does.
// Uses target/release/helpdeck (cargo build --release) and `hugo` from PATH.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [helpdeckSite, hugoSite, editsArg, pauseArg] = process.argv.slice(2);
if (!helpdeckSite || !hugoSite) {
  console.error('usage: node bench/serve.mjs HELPDECK_SITE HUGO_SITE [EDITS]');
  process.exit(2);
}
const EDITS = Number(editsArg || 20);
const PAUSE = Number(pauseArg || 300);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HELPDECK = path.join(REPO, 'target', 'release', 'helpdeck');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now();

const children = [];
// Ctrl-C (SIGINT) lets helpdeck serve remove its private folder, even when this script fails.
process.on('exit', () => children.forEach((child) => child.kill('SIGINT')));

/** Starts a server; resolves once a line of its output matches `ready`. */
function start(command, args, cwd, ready) {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const take = (chunk) => {
      out += chunk;
      const found = out.match(ready);
      if (found) resolve({ child, match: found });
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('exit', (code) => reject(new Error(`${command} exited with ${code}:\n${out}`)));
    setTimeout(() => reject(new Error(`${command} did not start:\n${out}`)), 600_000);
  });
}

function get(base, url) {
  return new Promise((resolve, reject) => {
    http
      .get(base + url, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

/** helpdeck's reload channel: calls `onChange(files)` for every change event. */
function listen(base, onChange) {
  http.get(base + '/_helpdeck/events', (res) => {
    let buffer = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.startsWith('event: change')) {
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          onChange(JSON.parse(data.slice(6)).files);
        }
      }
    });
  });
}

async function until(check, what) {
  const started = now();
  while (!(await check())) {
    if (now() - started > 60_000) throw new Error(`timed out waiting for ${what}`);
    await sleep(1);
  }
}

function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(status.match(/VmRSS:\s+(\d+)/)[1]);
  return (kib / 1024).toFixed(0);
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** English pages (no language suffix), spread over the sections. */
function pagesToEdit(site) {
  const content = path.join(site, 'content');
  const sections = readdirSync(content, { withFileTypes: true }).filter((d) => d.isDirectory());
  const perSection = sections.map((s) =>
    readdirSync(path.join(content, s.name))
      .filter((f) => /^[^_][^.]*\.md$/.test(f))
      .map((f) => `${s.name}/${f}`),
  );
  const picked = [];
  for (let i = 0; picked.length < EDITS; i++) {
    const list = perSection[i % perSection.length];
    picked.push(list[(i * 7) % list.length]);
  }
  return picked;
}

const withHugo = hugoSite !== '-';
const hugoOut = withHugo ? path.join(hugoSite, 'srv') : null;
if (withHugo) rmSync(hugoOut, { recursive: true, force: true });
let started = now();
const helpdeck = await start(HELPDECK, ['serve', '--root', helpdeckSite, '--port', '0'], helpdeckSite, /Serving at (http:\/\/127\.0\.0\.1:\d+)\//);
console.log(`helpdeck serve ready in ${((now() - started) / 1000).toFixed(2)} s`);
let hugo = null;
if (withHugo) {
  started = now();
  hugo = await start('hugo', ['server', '--renderToDisk', '-d', 'srv', '--bind', '127.0.0.1', '--port', '13131', '--disableLiveReload'], hugoSite, /Web Server is available at/);
  console.log(`hugo server ready in ${((now() - started) / 1000).toFixed(2)} s`);
}
const base = helpdeck.match[1];

let changed = new Set();
listen(base, (files) => files.forEach((f) => changed.add(f)));
await sleep(500);

const results = { event: [], served: [], hugo: [] };
const pages = pagesToEdit(helpdeckSite);
for (const [i, page] of pages.entries()) {
  const marker = `bench-edit-${i}-${Date.now()}`;
  const slug = page.replace(/\.md$/, '');
  const output = `${slug}/index.html`;

  // helpdeck
  changed = new Set();
  const file = path.join(helpdeckSite, 'content', page);
  const text = readFileSync(file, 'utf8');
  const t0 = now();
  writeFileSync(file, `${text}\n${marker}\n`);
  await until(() => changed.has(output), `helpdeck's event for ${output}`);
  results.event.push(now() - t0);
  await until(async () => (await get(base, `/${slug}/`)).includes(marker), `helpdeck serving ${slug}`);
  results.served.push(now() - t0);
  await sleep(PAUSE);

  if (!withHugo) continue;
  // hugo
  const hugoFile = path.join(hugoSite, 'content', page);
  const hugoText = readFileSync(hugoFile, 'utf8');
  const t1 = now();
  writeFileSync(hugoFile, `${hugoText}\n${marker}\n`);
  const hugoPath = path.join(hugoOut, output);
  await until(() => {
    try {
      return readFileSync(hugoPath, 'utf8').includes(marker);
    } catch {
      return false;
    }
  }, `hugo writing ${output}`);
  results.hugo.push(now() - t1);
  await sleep(PAUSE);
}

const row = (name, values) =>
  console.log(`${name.padEnd(34)} p50 ${percentile(values, 50).toFixed(1).padStart(7)} ms   p95 ${percentile(values, 95).toFixed(1).padStart(7)} ms`);
console.log(`\n${EDITS} edits, ${PAUSE} ms apart`);
row('helpdeck: save → reload event', results.event);
row('helpdeck: save → new page served', results.served);
if (withHugo) row('hugo: save → output file changed', results.hugo);
console.log(`resident memory: helpdeck ${rssMiB(helpdeck.child.pid)} MiB${withHugo ? `, hugo ${rssMiB(hugo.child.pid)} MiB` : ''}`);

if (withHugo) {
  // Hugo may still be writing: stop it before removing its output.
  const stopped = new Promise((resolve) => hugo.child.once('exit', resolve));
  hugo.child.kill('SIGINT');
  await stopped;
  rmSync(hugoOut, { recursive: true, force: true });
}
// The reload channel keeps the event loop alive: exit, which stops both servers.
process.exit(0);
