// Shared helpers for the browser tests: build the demo site, serve it on
// 127.0.0.1, launch Debian's Chromium through playwright-core.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, createReadStream } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BINARY = path.join(REPO_ROOT, 'target', 'debug', 'helpdeck');
export const AXE_PATH = require.resolve('axe-core/axe.min.js');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const LANGUAGES = ['en', 'lt', 'pl', 'zh-Hant', 'ms'];

/** One URL per page kind, for the default language (prefix with /<lang> for others). */
export const PAGE_KINDS = {
  home: '/',
  section: '/policies/',
  article: '/guides/caring-for-oak/',
  policy: '/policies/returns/',
  faq: '/faq/delivery/',
  product: '/products/oak-board/',
  withdrawal_form: '/withdrawal-form/',
  replies: '/replies/',
  404: '/404.html',
};

export function localized(lang, url) {
  return lang === 'en' ? url : `/${lang}${url}`;
}

/** Every (lang, kind, url) combination. */
export function allPages() {
  const out = [];
  for (const lang of LANGUAGES) {
    for (const [kind, url] of Object.entries(PAGE_KINDS)) {
      out.push({ lang, kind, url: localized(lang, url) });
    }
  }
  return out;
}

export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
};

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The demo's pages still untranslated in the built copy, so fallback pages are tested too. */
export const UNTRANSLATED = ['content/policies/terms.lt.md', 'content/guides/choosing-linen-size.zh-Hant.md'];

/** One URL per fallback page kind: a policy shown in English to Lithuanian visitors, an
 * article to Chinese ones. */
export const FALLBACK_PAGES = [
  { lang: 'lt', kind: 'fallback policy', url: '/lt/policies/terms/' },
  { lang: 'zh-Hant', kind: 'fallback article', url: '/zh-Hant/guides/choosing-linen-size/' },
];

/** Build a copy of the demo site (the repo root), without the [`UNTRANSLATED`] files, into a
 * fresh temporary directory. */
export function buildDemo(extraArgs = [], out = null) {
  if (!existsSync(BINARY)) {
    throw new Error(
      `helpdeck binary not found at ${BINARY}.\n` +
        `Run \`cargo build\` in ${REPO_ROOT} first (tests/run.sh does this for you).`,
    );
  }
  const tmp = mkdtempSync(path.join(tmpdir(), 'helpdeck-browser-'));
  const root = path.join(tmp, 'demo');
  out ??= path.join(tmp, 'site');
  for (const part of ['helpdeck.toml', 'content', 'data', 'static', 'themes']) {
    cpSync(path.join(REPO_ROOT, part), path.join(root, part), { recursive: true });
  }
  for (const file of UNTRANSLATED) rmSync(path.join(root, file));
  try {
    execFileSync(BINARY, ['build', '--root', root, '--output', out, ...extraArgs], {
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(
      `\`${BINARY} build --root ${root} --output ${out}\` failed (exit ${err.status}):\n` +
        `${err.stdout || ''}${err.stderr || ''}`,
    );
  }
  return { dir: out, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

/** All HTML files in the built site, as URL paths ("/", "/lt/faq/", "/404.html"). */
export function htmlPages(siteDir) {
  const urls = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.html')) {
        const rel = '/' + path.relative(siteDir, full).split(path.sep).join('/');
        urls.push(rel.endsWith('/index.html') ? rel.slice(0, -'index.html'.length) : rel);
      }
    }
  };
  walk(siteDir);
  return urls;
}

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
  '.webmanifest': 'application/manifest+json',
};

export function contentType(file) {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

function isFile(p) {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
function isDir(p) {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Serve `root` on 127.0.0.1 (free port). Directories serve index.html,
 * missing files serve the nearest 404.html (e.g. /lt/404.html for /lt/…)
 * with status 404. A `Range: bytes=a-b` is answered with 206 and those bytes, as static
 * hosts answer it, unless `ranges` is false (a host that sends the whole file).
 * Resolves to { url, close, requests } (`requests`: every request's path and Range).
 */
export function serveStatic(root, { ranges = true } = {}) {
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push({ path: req.url, range: req.headers.range || null });
    const send = (status, file, headers = {}) => {
      const range = ranges && status === 200 && /^bytes=(\d+)-(\d+)$/.exec(req.headers.range || '');
      const size = statSync(file).size;
      if (range && Number(range[1]) < size) {
        const [start, end] = [Number(range[1]), Math.min(Number(range[2]), size - 1)];
        res.writeHead(206, { 'Content-Type': contentType(file), 'Cache-Control': 'no-store', 'Content-Range': `bytes ${start}-${end}/${size}`, ...headers });
        if (req.method === 'HEAD') return res.end();
        return createReadStream(file, { start, end }).pipe(res);
      }
      res.writeHead(status, { 'Content-Type': contentType(file), 'Cache-Control': 'no-store', ...headers });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).pipe(res);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' });
      return res.end();
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      res.writeHead(400);
      return res.end();
    }
    const file = path.resolve(root, '.' + path.posix.normalize(pathname));
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.writeHead(403);
      return res.end();
    }
    if (isDir(file)) {
      if (!pathname.endsWith('/')) {
        res.writeHead(301, { Location: pathname + '/' });
        return res.end();
      }
      const index = path.join(file, 'index.html');
      if (isFile(index)) return send(200, index);
    } else if (isFile(file)) {
      return send(200, file);
    }
    // Missing: nearest 404.html walking up towards the root.
    for (let dir = path.dirname(file); dir.startsWith(root); dir = path.dirname(dir)) {
      const nf = path.join(dir, '404.html');
      if (isFile(nf)) return send(404, nf);
      if (dir === root) break;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Not found');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

export async function launchBrowser() {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium (tests/run.sh does this).`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * Build + serve + launch, for a test file's before() hook.
 * Returns { site, server, browser, base, close }.
 */
export async function setup() {
  const site = buildDemo();
  let server;
  let browser;
  try {
    server = await serveStatic(site.dir);
    browser = await launchBrowser();
  } catch (err) {
    if (server) await server.close();
    site.cleanup();
    throw err;
  }
  return {
    site,
    server,
    browser,
    base: server.url,
    close: async () => {
      await browser.close().catch(() => {});
      await server.close();
      site.cleanup();
    },
  };
}

/**
 * Record console errors, uncaught page errors and failed sub-resource
 * responses on `page`. Returns the (live) array of messages.
 */
export function collectErrors(page) {
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      errors.push(`console.error: ${msg.text()}${loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (err) => errors.push(`page error: ${err.stack || err.message}`));
  page.on('requestfailed', (req) => {
    const why = req.failure()?.errorText || '';
    // ERR_ABORTED: the load was cancelled because the test navigated on.
    if (!why.includes('ERR_ABORTED')) errors.push(`request failed: ${req.url()} (${why})`);
  });
  return errors;
}
