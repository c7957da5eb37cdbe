// Watch-mode latency of `helpdeck serve` per kind of edit, for one helpdeck binary or two (A/B,
// alternated edit by edit in one run), optionally next to `hugo server` for body edits.
//
// Usage (sites from ../shared/bench/mksite.sh N DIR):
//   node bench/watch.mjs DIR/helpdeck-N BIN_A [BIN_B] [--edits 7] [--starts 3] [--builds 3]
//                        [--settle 1000] [--hugo DIR/hugo-N]
// e.g. node bench/watch.mjs /tmp/sites/helpdeck-2000 /tmp/helpdeck-main target/release/helpdeck
// A and B may be the same binary (two servers, to check the noise). `--hugo` adds
// `hugo server --renderToDisk` (from PATH) to the body edits: write → output file changed; its
// start-up is until it says it serves, its memory its VmHWM.
//
// Each server gets its own copy of the site (in /dev/shm, else the temporary folder; serve's
// private folder and the builds' output go there too), with what the corpus lacks added so that
// every kind of edit has something to edit: data/bench.toml, whose `returns.window_days` the
// first FACT_PAGES policy pages insert with the fact shortcode (so their fallbacks in the other
// languages show it too), and templates/base.html, a copy of this checkout's theme base.html
// (the template every page extends). The site given is not touched.
//
// Every edit runs from the moment the file is written until the served HTTP response holds it,
// polled every POLL_MS; it is then undone and served undone, and the server is left to go
// quiet (no output, no reload event, no CPU time for --settle ms) so that the follow-up work
// (search index, related articles) of one edit does not land in the next. Done means:
//   body          an English page's body                    → that page holds it
//   title         an English page's title                   → the page and its section listing
//   weight        an English page's weight, first or last   → the section listing's order
//   new page      a new English page                        → the page and its section listing
//   translation   a translated page's body, each language in turn → that page
//   data file     bench.toml's value                        → every page inserting it, in every
//                                                               language
//   template      templates/base.html                       → the last page to change: every
//                 page of a sample (home, listings, first and last page of each section, in every
//                 language) is served with the edit, each counted from the first reload event
//                 naming it or the first response holding it (events follow the files being in
//                 place), and the last reload event naming any HTML file has arrived
// and, per binary: start-up (process start → `/` served; --starts runs, the last one is the
// server edited), peak memory (VmHWM after all edits) and a cold `helpdeck build` of the same
// copy into a temporary folder (--builds runs), to read the goals "template edit ≤ 1.5× and
// start-up ≤ 1.2× a cold build" off the same run.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const POLL_MS = 5;
const SAMPLE_POLL_MS = 50;
const FACT_PAGES = 3;
const FACT_KEY = 'bench.returns.window_days';
const FACT_VALUE = 30;
const TIMEOUT_MS = 600_000;

const { positional, options } = parseArgs(process.argv.slice(2));
const [site, ...binaries] = positional;
if (!site || binaries.length < 1 || binaries.length > 2) {
  console.error('usage: node bench/watch.mjs SITE BIN_A [BIN_B] [--edits 7] [--starts 3] [--builds 3] [--settle 1000] [--hugo HUGO_SITE]');
  process.exit(2);
}
const EDITS = Number(options.edits ?? 7);
const STARTS = Number(options.starts ?? 3);
const BUILDS = Number(options.builds ?? 3);
const SETTLE = Number(options.settle ?? 1000);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const THEME_BASE = path.join(REPO, 'themes', 'default', 'templates', 'base.html');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now();
// A connection per request, and a time limit: one request on a reused connection once hung for
// minutes and stalled a run.
const agent = new http.Agent({ keepAlive: false, maxSockets: 16 });
/** A request taking this long is given up (and reported), as if it had not been served yet. */
const REQUEST_TIMEOUT_MS = 60_000;

// In memory where there is /dev/shm (as bench/build.sh): the copies, the builds' output and
// serve's private folder (its TMPDIR), so that other work on the disk does not slow them.
const work = mkdtempSync(path.join(existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'helpdeck-watch-'));
const running = new Set();
// Ctrl-C (SIGINT) lets helpdeck serve remove its private folder, even when this script fails.
process.on('exit', () => {
  running.forEach((child) => child.kill('SIGINT'));
  rmSync(work, { recursive: true, force: true });
});
process.on('SIGINT', () => process.exit(130));

function parseArgs(args) {
  const positional = [];
  const options = {};
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith('--')) options[args[i].slice(2)] = args[++i];
    else positional.push(args[i]);
  }
  return { positional, options };
}

// ---- the site: what is edited, and where it is served ----

const config = readFileSync(path.join(site, 'helpdeck.toml'), 'utf8');
const defaultLang = config.match(/^default_language\s*=\s*"([^"]+)"/m)?.[1] ?? 'en';
const otherLangs = [...config.matchAll(/^\[languages\.([^\]]+)\]/gm)].map((m) => m[1]).filter((l) => l !== defaultLang);
const langs = [defaultLang, ...otherLangs];
const content = path.join(site, 'content');
const sections = readdirSync(content, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
/** Section → its default-language page stems, sorted. */
const stems = Object.fromEntries(
  sections.map((s) => [
    s,
    readdirSync(path.join(content, s))
      .filter((f) => /^[^_][^.]*\.md$/.test(f))
      .map((f) => f.slice(0, -3))
      .sort(),
  ]),
);
const prefix = (lang) => (lang === defaultLang ? '' : `/${lang}`);
const pageUrl = (section, stem, lang = defaultLang) => `${prefix(lang)}/${section}/${stem}/`;
const sectionUrl = (section, lang = defaultLang) => `${prefix(lang)}/${section}/`;
const sourceFile = (section, stem, lang = defaultLang) => `content/${section}/${stem}${lang === defaultLang ? '' : `.${lang}`}.md`;
const outputKey = (url) => `${url.slice(1)}index.html`;

/** The `i`-th page of a kind of edit: sections in turn, spread over each section. */
function pick(i, kind) {
  const section = sections[(i + kind) % sections.length];
  const list = stems[section];
  return { section, stem: list[(i * 7 + kind * 13 + 1) % list.length] };
}

const factSection = sections.includes('policies') ? 'policies' : sections[0];
const factStems = stems[factSection].slice(0, FACT_PAGES);
const factUrls = factStems.flatMap((stem) => langs.map((lang) => pageUrl(factSection, stem, lang)));
const templateSample = langs.flatMap((lang) => [
  `${prefix(lang)}/`,
  ...sections.flatMap((s) => [sectionUrl(s, lang), pageUrl(s, stems[s][0], lang), pageUrl(s, stems[s].at(-1), lang)]),
]);

/** A copy of the site with the data file, the fact uses and the template override added. */
function copySite(name) {
  const copy = path.join(work, name);
  cpSync(site, copy, { recursive: true });
  mkdirSync(path.join(copy, 'data'), { recursive: true });
  writeFileSync(
    path.join(copy, 'data', 'bench.toml'),
    `# Added by bench/watch.mjs: the data-file edit changes this value.\n[returns]\nwindow_days = ${FACT_VALUE}\n`,
    { flag: 'wx' },
  );
  for (const stem of factStems) {
    for (const lang of langs) {
      const file = path.join(copy, sourceFile(factSection, stem, lang));
      if (existsSync(file)) {
        writeFileSync(file, `${readFileSync(file, 'utf8')}\nReturns are accepted within {{ fact(key="${FACT_KEY}") }} days.\n`);
      }
    }
  }
  const base = path.join(copy, 'templates', 'base.html');
  if (!existsSync(base)) {
    mkdirSync(path.dirname(base), { recursive: true });
    cpSync(THEME_BASE, base);
  }
  return copy;
}

// ---- HTTP ----

/** `{ status, body }`, or null when nothing listens yet (or the request timed out). */
function get(base, url, timeout = REQUEST_TIMEOUT_MS) {
  return new Promise((resolve, reject) => {
    const request = http
      .get(base + url, { agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      })
      .on('error', (e) => (e.code === 'ECONNREFUSED' || request.timedOut ? resolve(null) : reject(e)));
    request.setTimeout(timeout, () => {
      console.error(`warning: GET ${base}${url} took over ${timeout} ms; asking again`);
      request.timedOut = true;
      request.destroy();
    });
  });
}

/** helpdeck's reload channel: records every change event on `server`. */
function listen(server) {
  http.get(server.base + '/_helpdeck/events', (res) => {
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
          server.events.push({ at: now(), files: JSON.parse(data.slice(6)).files });
          server.active = now();
        }
      }
    });
  });
}

function freePort() {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function until(check, what) {
  const started = now();
  while (!(await check())) {
    if (now() - started > TIMEOUT_MS) throw new Error(`timed out waiting for ${what}`);
    await sleep(POLL_MS);
  }
  return now();
}

// ---- processes ----

/** Starts a process whose output marks `server.active`; resolves when it exits. */
function launch(server, command, args, cwd) {
  const child = spawn(command, args, { cwd, env: { ...process.env, TMPDIR: work }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  server.child = child;
  server.output = '';
  server.active = now();
  const take = (chunk) => {
    server.output += chunk;
    server.active = now();
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      running.delete(child);
      resolve(code);
    });
  });
}

async function stop(server) {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGINT');
  await exited;
}

/** User + system CPU time of a process, in clock ticks. */
function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function peakMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(status.match(/VmHWM:\s+(\d+)/)[1]) / 1024;
}

/** Waits until `server` has printed nothing, sent no event and used (almost) no CPU for SETTLE ms. */
async function settle(server) {
  let ticks = cpuTicks(server.child.pid);
  let quietSince = now();
  while (now() - Math.max(quietSince, server.active) < SETTLE) {
    await sleep(100);
    const next = cpuTicks(server.child.pid);
    if (next - ticks > 2) quietSince = now();
    ticks = next;
  }
}

/** `helpdeck serve` of `server.site`; resolves with the time from start to `/` served. */
async function startHelpdeck(server) {
  const port = await freePort();
  server.base = `http://127.0.0.1:${port}`;
  server.events = [];
  const started = now();
  server.expectExit = false;
  launch(server, server.bin, ['serve', '--root', server.site, '--port', String(port)], server.site).then((code) => {
    if (!server.expectExit) {
      console.error(`${server.label} exited with ${code}:\n${server.output}`);
      process.exit(1);
    }
  });
  await until(async () => (await get(server.base, '/', TIMEOUT_MS))?.status === 200, `${server.label} serving /`);
  return now() - started;
}

async function stopHelpdeck(server) {
  server.expectExit = true;
  await stop(server);
}

async function coldBuild(server) {
  const out = path.join(work, `build-${server.name}`);
  rmSync(out, { recursive: true, force: true });
  const started = now();
  const code = await launch({}, server.bin, ['build', '--root', server.site, '--output', out], server.site);
  const elapsed = now() - started;
  if (code !== 0) throw new Error(`${server.label}: helpdeck build exited with ${code}`);
  rmSync(out, { recursive: true, force: true });
  return elapsed;
}

// ---- the kinds of edit ----

const marker = (kind, i) => `bench${kind}${i}x${Math.random().toString(36).slice(2, 8)}`;
const read = (server, file) => readFileSync(path.join(server.site, file), 'utf8');
const write = (server, file, text) => writeFileSync(path.join(server.site, file), text);
/** The page served at `url`, '' when there is none yet. */
const bodyAt = async (server, url) => (await get(server.base, url))?.body ?? '';
const holds = async (server, url, text) => (await bodyAt(server, url)).includes(text);
// Served HTML is minified: attributes may be reordered and unquoted.
const listingLinks = (body) =>
  [...body.matchAll(/<a\b[^>]*\bclass="?page-list-link\b[^>]*>/g)].map((m) => m[0].match(/\bhref="?([^"\s>]+)/)[1]);

/** An edit that changes `file` by `edited` and back; `served(true)` tells it is served, `served(false)` undone. */
function fileEdit(server, file, edited, served) {
  const original = read(server, file);
  return {
    apply: () => write(server, file, edited(original)),
    undo: () => write(server, file, original),
    done: () => served(true),
    undone: () => served(false),
  };
}

/** Appends a paragraph to a page's body. */
function bodyEdit(server, file, url, text) {
  return fileEdit(server, file, (o) => `${o}\n${text}\n`, async (wanted) => (await holds(server, url, text)) === wanted);
}

const KINDS = [
  {
    name: 'body edit',
    make(server, i) {
      const { section, stem } = pick(i, 0);
      const url = pageUrl(section, stem);
      return { ...bodyEdit(server, sourceFile(section, stem), url, marker('b', i)), event: outputKey(url) };
    },
  },
  {
    name: 'title edit (page + listing)',
    make(server, i) {
      const { section, stem } = pick(i, 1);
      const text = marker('t', i);
      const both = async (wanted) =>
        (await holds(server, pageUrl(section, stem), text)) === wanted && (await holds(server, sectionUrl(section), text)) === wanted;
      return fileEdit(server, sourceFile(section, stem), (o) => o.replace(/^title = "/m, `title = "${text} `), both);
    },
  },
  {
    name: 'weight edit (listing order)',
    async make(server, i) {
      const { section, stem } = pick(i, 2);
      const url = pageUrl(section, stem);
      const before = listingLinks(await bodyAt(server, sectionUrl(section)));
      if (before.length < 2) throw new Error(`no listing to reorder at ${sectionUrl(section)}`);
      // To the end of the listing, or to its start when it is last already.
      const toEnd = before.at(-1) !== url;
      const weight = toEnd ? 9_000_000_000 : -1;
      const order = async () => listingLinks(await bodyAt(server, sectionUrl(section)));
      return fileEdit(
        server,
        sourceFile(section, stem),
        (o) => (/^weight = .*$/m.test(o) ? o.replace(/^weight = .*$/m, `weight = ${weight}`) : o.replace('+++\n', `+++\nweight = ${weight}\n`)),
        async (wanted) => {
          const links = await order();
          return wanted ? (toEnd ? links.at(-1) : links[0]) === url : links[0] === before[0] && links.at(-1) === before.at(-1);
        },
      );
    },
  },
  {
    name: 'new page (page + listing)',
    make(server, i) {
      const section = sections[(i + 3) % sections.length];
      const text = marker('n', i);
      const stem = `bench-new-${i}`;
      const file = sourceFile(section, stem);
      const url = pageUrl(section, stem);
      const served = async (wanted) => {
        const [page, listing] = await Promise.all([get(server.base, url), bodyAt(server, sectionUrl(section))]);
        const listed = listingLinks(listing).includes(url);
        const there = page?.status === 200 && page.body.includes(text) && listed;
        const gone = page?.status === 404 && !listed;
        return wanted ? there : gone;
      };
      return {
        apply: () => write(server, file, `+++\ntitle = "New page ${text}"\ndescription = "Added by the benchmark."\nweight = ${1000 + i}\n+++\n\n${text}\n`),
        undo: () => rmSync(path.join(server.site, file)),
        done: () => served(true),
        undone: () => served(false),
      };
    },
  },
  {
    name: 'translation edit',
    make(server, i) {
      const lang = otherLangs[i % otherLangs.length];
      for (let k = 0; k < 1000; k++) {
        const { section, stem } = pick(i + k, 4);
        if (existsSync(path.join(server.site, sourceFile(section, stem, lang)))) {
          return bodyEdit(server, sourceFile(section, stem, lang), pageUrl(section, stem, lang), marker('l', i));
        }
      }
      throw new Error(`no page translated into ${lang}`);
    },
  },
  {
    name: `data-file edit (${factUrls.length} pages)`,
    make(server, i) {
      const value = FACT_VALUE + 1 + i;
      const shows = async (wanted) => {
        const text = `within ${wanted ? value : FACT_VALUE} days`;
        return (await Promise.all(factUrls.map((url) => holds(server, url, text)))).every(Boolean);
      };
      return fileEdit(server, 'data/bench.toml', (o) => o.replace(`window_days = ${FACT_VALUE}`, `window_days = ${value}`), shows);
    },
  },
  {
    name: 'template edit (last page)',
    template: true,
    make(server, i) {
      const text = marker('p', i);
      const tag = `<meta name="bench-edit" content="${text}">`;
      // A sampled page is in place from the first reload event naming it (events follow the
      // files being in place) or the first response holding the edit, whichever comes first;
      // every page must be served with it in the end. HTTP is asked only every SAMPLE_POLL_MS:
      // fetching all of them every few ms would take the CPU from the rebuild.
      const named = new Map();
      const held = new Map();
      const left = new Set(templateSample);
      let asked = -Infinity;
      const sample = async (wanted) => {
        for (const url of templateSample) {
          const event = named.has(url) ? null : server.events.find((e) => e.files.includes(outputKey(url)));
          if (event) named.set(url, event.at);
        }
        if (now() - asked < SAMPLE_POLL_MS) return false;
        asked = now();
        const pending = wanted ? templateSample.filter((url) => !held.has(url)) : [...left];
        await Promise.all(
          pending.map(async (url) => {
            if ((await holds(server, url, text)) !== wanted) return;
            if (wanted) held.set(url, now());
            else left.delete(url);
          }),
        );
        return wanted ? held.size === templateSample.length : left.size === 0;
      };
      const inPlace = () => Math.max(...templateSample.map((url) => Math.min(named.get(url) ?? Infinity, held.get(url))));
      return { ...fileEdit(server, 'templates/base.html', (o) => o.replace('<head>\n', `<head>\n${tag}\n`), sample), inPlace };
    },
  },
];

/** Measures one edit on `server`: ms from the write until it is served; restores and waits for quiet after. */
async function measure(server, kind, i) {
  const edit = await kind.make(server, i);
  server.events = [];
  const t0 = now();
  edit.apply();
  let served = (await until(edit.done, `${server.label}: ${kind.name} #${i}`)) - t0;
  let event = null;
  if (kind.template) {
    served = edit.inPlace() - t0;
    // Pages outside the sample may come later: the last reload event naming a page says when.
    await settle(server);
    const pages = server.events.filter((e) => e.files.some((f) => f.endsWith('.html')));
    event = pages.length ? pages.at(-1).at - t0 : null;
  } else if (edit.event) {
    const named = server.events.find((e) => e.files.includes(edit.event));
    event = named ? named.at - t0 : null;
  }
  edit.undo();
  await until(edit.undone, `${server.label}: undoing ${kind.name} #${i}`);
  await settle(server);
  return { served: kind.template ? Math.max(served, event ?? 0) : served, sample: served, event };
}

// ---- hugo, for body edits ----

async function startHugo(hugoSite) {
  const hugo = { label: 'hugo server', site: path.join(work, 'hugo'), results: {} };
  cpSync(hugoSite, hugo.site, { recursive: true });
  const port = await freePort();
  const started = now();
  launch(hugo, 'hugo', ['server', '--renderToDisk', '-d', 'srv', '--bind', '127.0.0.1', '--port', String(port), '--disableLiveReload'], hugo.site);
  await until(() => /Web Server is available at/.test(hugo.output), 'hugo server');
  hugo.startup = now() - started;
  return hugo;
}

/** Body edit on hugo: ms from the write until the page's output file holds it. */
async function measureHugo(hugo, i) {
  const { section, stem } = pick(i, 0);
  const text = marker('h', i);
  const output = path.join(hugo.site, 'srv', outputKey(pageUrl(section, stem)));
  const holdsText = (wanted) => () => {
    try {
      return readFileSync(output, 'utf8').includes(text) === wanted;
    } catch {
      return false;
    }
  };
  const file = sourceFile(section, stem);
  const original = read(hugo, file);
  const t0 = now();
  write(hugo, file, `${original}\n${text}\n`);
  const served = (await until(holdsText(true), `hugo: body edit #${i}`)) - t0;
  write(hugo, file, original);
  await until(holdsText(false), `hugo: undoing body edit #${i}`);
  await settle(hugo);
  return served;
}

// ---- the run ----

const loadAtStart = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const servers = binaries.map((bin, n) => {
  const name = 'AB'[n];
  return { name, bin: path.resolve(bin), label: `${name} ${path.basename(bin)}`, site: copySite(`site-${name}`), results: {} };
});
const record = (server, what, value) => (server.results[what] ??= []).push(value);
/** Each round alternates which binary goes first. */
const inTurn = (round) => (round % 2 ? [...servers].reverse() : servers);

console.log(`${site}: ${langs.length} languages, sections ${sections.join(', ')}; copies in ${work}`);
for (let round = 0; round < BUILDS; round++) {
  for (const server of inTurn(round)) record(server, 'cold build', await coldBuild(server));
}
for (let round = 0; round < STARTS; round++) {
  for (const server of inTurn(round)) {
    record(server, 'serve start-up', await startHelpdeck(server));
    if (round < STARTS - 1) await stopHelpdeck(server);
  }
}
for (const server of servers) {
  listen(server);
  await settle(server);
}
const hugo = options.hugo ? await startHugo(options.hugo) : null;
if (hugo) await settle(hugo);
console.log(`start-up and cold builds done; ${EDITS} edits of ${KINDS.length} kinds…`);

for (let i = 0; i < EDITS; i++) {
  for (const kind of KINDS) {
    for (const server of inTurn(i)) {
      const { served, sample, event } = await measure(server, kind, i);
      record(server, kind.name, served);
      if (kind.template) {
        record(server, 'template: sample in place', sample);
        if (event != null) record(server, 'template: last page event', event);
      } else if (event != null) record(server, `${kind.name}: reload event`, event);
    }
    if (hugo && kind === KINDS[0]) record(hugo, 'body edit', await measureHugo(hugo, i));
  }
  process.stdout.write(`  edit round ${i + 1}/${EDITS} done\n`);
}
for (const server of servers) record(server, 'peak memory (MiB)', peakMiB(server.child.pid));
if (hugo) {
  record(hugo, 'peak memory (MiB)', peakMiB(hugo.child.pid));
  record(hugo, 'serve start-up', hugo.startup);
}

// ---- the table ----

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const number = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const cell = (values) =>
  values ? `${number(median(values))} (${number(Math.min(...values))}–${number(Math.max(...values))})`.padEnd(26) : '–'.padEnd(26);
const rows = [
  'cold build',
  'serve start-up',
  ...KINDS.map((k) => k.name),
  'template: sample in place',
  'template: last page event',
  'body edit: reload event',
  'peak memory (MiB)',
];
const columns = hugo ? [...servers, hugo] : servers;
console.log(`\n${site}, ${EDITS} edits of each kind; ms, median (min–max); load average ${loadAtStart} at the start, ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} at the end`);
console.log(`${''.padEnd(32)}${columns.map((s) => s.label.padEnd(26)).join('')}${servers.length === 2 ? 'B/A' : ''}`);
for (const row of rows) {
  const ratio = servers.length === 2 && servers[0].results[row] ? (median(servers[1].results[row]) / median(servers[0].results[row])).toFixed(2) : '';
  console.log(`${row.padEnd(32)}${columns.map((s) => cell(s.results[row])).join('')}${ratio}`);
}
for (const server of servers) {
  const of = (what) => median(server.results[what]) / median(server.results['cold build']);
  console.log(
    `${server.label}: template edit / cold build ${of(KINDS.at(-1).name).toFixed(2)} (goal ≤ 1.5), start-up / cold build ${of('serve start-up').toFixed(2)} (goal ≤ 1.2)`,
  );
}

for (const server of columns) {
  server.expectExit = true;
  await stop(server);
}
process.exit(0);
