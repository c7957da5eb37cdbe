// External validators judge the built output, not our own parsers: the Nu HTML checker
// (vnu-jar from npm, run on the machine's Java) on every page of the demo and of a fresh
// `helpdeck init` site, and Lighthouse (npm, driving Debian's Chromium) on a home, a policy,
// a product and an FAQ page: at least 98 in each of its four categories.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

import {
  AXE_PATH, BINARY, CHROMIUM_ARGS, CHROMIUM_PATH, REPO_ROOT, VIEWPORTS, buildDemo, launchBrowser, serveStatic,
} from './helpers.mjs';

const require = createRequire(import.meta.url);

/** `helpdeck init` arguments for a seller's starter in two languages. */
const STARTER_INIT = (root) => ['init', root, '--name', 'Birch & Co', '--languages', 'en,lt', '--country', 'LT'];
const VNU_JAR = require.resolve('vnu-jar/build/dist/vnu.jar');

/** The Nu HTML checker's errors for every HTML file under `dir`. */
function nuErrors(dir) {
  let output;
  try {
    output = execFileSync('java', ['-jar', VNU_JAR, '--errors-only', '--format', 'json', '--skip-non-html', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    // vnu exits 1 when it finds errors and writes its report to stderr.
    output = err.stderr || err.stdout;
    if (!output) throw err;
  }
  const text = output.trim() || '{"messages":[]}';
  const start = text.indexOf('{');
  return JSON.parse(text.slice(start)).messages.filter((m) => m.type === 'error');
}

function describeErrors(errors, root) {
  return errors
    .slice(0, 20)
    .map((e) => `${path.relative(root, new URL(e.url).pathname)}:${e.lastLine}: ${e.message} \`${e.extract ?? ''}\``)
    .join('\n');
}

describe('Nu HTML checker', () => {
  it('finds no errors in the demo', () => {
    const demo = buildDemo();
    try {
      const errors = nuErrors(demo.dir);
      assert.equal(errors.length, 0, describeErrors(errors, demo.dir));
    } finally {
      demo.cleanup();
    }
  });

  it('finds no errors in a fresh `helpdeck init` site', () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'helpdeck-init-'));
    try {
      const root = path.join(tmp, 'shop');
      execFileSync(BINARY, STARTER_INIT(root), { stdio: 'pipe' });
      const out = path.join(tmp, 'site');
      execFileSync(BINARY, ['build', '--root', root, '--output', out], { stdio: 'pipe' });
      const errors = nuErrors(out);
      assert.equal(errors.length, 0, describeErrors(errors, out));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('Lighthouse', () => {
  const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
  const PAGES = ['/', '/policies/returns/', '/products/oak-board/', '/faq/delivery/'];
  let env;

  before(async () => {
    // Served before it is built, so canonical and hreflang links point at this server.
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'helpdeck-lh-')), 'site');
    const site = await serveStatic(out);
    try {
      const demo = buildDemo(['--base-url', site.url], out);
      env = { demo, site, out };
    } catch (error) {
      await site.close();
      throw error;
    }
  });

  after(async () => {
    await env?.site.close();
    env?.demo.cleanup();
    if (env) rmSync(path.dirname(env.out), { recursive: true, force: true });
  });

  // One Lighthouse run of `page`: its scores per category, and the audits that fell short.
  async function audit(page) {
    const chrome = await chromeLauncher.launch({
      chromePath: CHROMIUM_PATH,
      chromeFlags: CHROMIUM_ARGS,
    });
    try {
      const result = await lighthouse(env.site.url + page, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: CATEGORIES,
      });
      const scores = Object.fromEntries(
        CATEGORIES.map((c) => [c, Math.round(result.lhr.categories[c].score * 100)]),
      );
      const failing = Object.values(result.lhr.audits)
        .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'manual')
        .map((a) => `${a.id} (${a.score})`);
      return { scores, failing };
    } finally {
      await chrome.kill();
    }
  }

  for (const page of PAGES) {
    it(`scores at least 98 in every category on ${page}`, async (t) => {
      // Performance is timed on this machine, which a busy moment slows: a page that falls
      // short once is judged by the median of three runs, as Lighthouse CI advises.
      const runs = [await audit(page)];
      if (CATEGORIES.some((c) => runs[0].scores[c] < 98)) {
        runs.push(await audit(page), await audit(page));
      }
      const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
      const scores = Object.fromEntries(
        CATEGORIES.map((c) => [c, median(runs.map((r) => r.scores[c]))]),
      );
      t.diagnostic(`Lighthouse ${page}: ${JSON.stringify(scores)} (${runs.length} runs)`);
      for (const category of CATEGORIES) {
        const failing = runs.map((r) => r.failing.join(', ')).join(' | ');
        assert.ok(scores[category] >= 98, `${category} ${scores[category]} on ${page}; audits below 1: ${failing}`);
      }
    });
  }
});

// The starter a seller gets from `helpdeck init`: what they see first, checked by axe in both
// colour schemes and kept as screenshots beside the demo's (target/screenshots/).
describe('the starter', () => {
  const PAGES = ['/', '/policies/returns/', '/lt/policies/returns/'];
  let env;

  before(async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'helpdeck-starter-'));
    const root = path.join(tmp, 'shop');
    const out = path.join(tmp, 'site');
    execFileSync(BINARY, STARTER_INIT(root), { stdio: 'pipe' });
    execFileSync(BINARY, ['build', '--root', root, '--output', out], { stdio: 'pipe' });
    const site = await serveStatic(out);
    const browser = await launchBrowser();
    env = { tmp, site, browser };
  });

  after(async () => {
    await env?.browser.close().catch(() => {});
    await env?.site.close();
    if (env) rmSync(env.tmp, { recursive: true, force: true });
  });

  for (const url of PAGES) {
    for (const scheme of ['light', 'dark']) {
      it(`has no axe violations on ${url} (${scheme})`, async () => {
        const context = await env.browser.newContext({ viewport: VIEWPORTS.desktop, colorScheme: scheme });
        try {
          const page = await context.newPage();
          const response = await page.goto(env.site.url + url, { waitUntil: 'load' });
          assert.equal(response.status(), 200);
          const name = `starter${url.replaceAll('/', '-').replace(/-$/, '') || '-home'}-${scheme}.png`;
          await page.screenshot({ path: path.join(REPO_ROOT, 'target', 'screenshots', name), fullPage: true });
          await page.addScriptTag({ path: AXE_PATH });
          const results = await page.evaluate(() =>
            window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }),
          );
          assert.deepEqual(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html.slice(0, 80)).join(' | ')}`), []);
        } finally {
          await context.close();
        }
      });
    }
  }
});
