// `helpdeck serve` in a real browser: an open page reloads by itself after an edit (and an
// unrelated open page does not), a stylesheet edit swaps in without a reload, and a broken
// file shows an escaped error overlay over the last good page until it is fixed.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BINARY, REPO_ROOT, launchBrowser } from './helpers.mjs';

// Generous: the CI machine may be busy building.
const WAIT = 30_000;

let site;
let serve;
let base;
let browser;

before(async () => {
  site = mkdtempSync(path.join(tmpdir(), 'helpdeck-serve-'));
  for (const part of ['helpdeck.toml', 'content', 'data', 'static']) {
    cpSync(path.join(REPO_ROOT, part), path.join(site, part), { recursive: true });
  }
  serve = spawn(BINARY, ['serve', '--root', site, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 120_000);
    serve.stdout.on('data', (chunk) => {
      out += chunk;
      const found = out.match(/Serving at (http:\/\/127\.0\.0\.1:\d+)\//);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    serve.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close().catch(() => {});
  // Ctrl-C, as a seller stops it, so serve removes its private folder (a plain kill leaves it
  // in the temp folder); killed outright if it hangs.
  if (serve && serve.exitCode === null) {
    const exited = new Promise((resolve) => serve.once('exit', resolve));
    serve.kill('SIGINT');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (serve.exitCode === null) serve.kill('SIGKILL');
  }
  rmSync(site, { recursive: true, force: true });
});

function edit(file, change) {
  const full = path.join(site, file);
  writeFileSync(full, change(readFileSync(full, 'utf8')));
}

/** Opens `url` and marks the page, so a reload (which drops the mark) can be told apart. */
async function openMarked(url) {
  const page = await browser.newPage();
  await page.goto(base + url, { waitUntil: 'load' });
  // The reload channel is open once the script has connected.
  await page.waitForFunction(() => document.documentElement.dataset.helpdeckLive === 'listening', null, { timeout: WAIT });
  await page.evaluate(() => {
    window.helpdeckMark = true;
  });
  return page;
}

describe('helpdeck serve in the browser', () => {
  it('reloads the page showing an edit, and only that page', async () => {
    const edited = await openMarked('/policies/returns/');
    // Not the FAQ on orders: its related articles list the returns policy, by title.
    const unrelated = await openMarked('/policies/privacy/');
    edit('content/policies/returns.md', (text) => text.replace('title = "', 'title = "Freshly edited '));
    await edited.waitForFunction(() => !window.helpdeckMark && document.querySelector('h1')?.textContent.includes('Freshly edited'), null, { timeout: WAIT });
    // Give a wrong reload time to happen before checking it did not.
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(await unrelated.evaluate(() => window.helpdeckMark), true, 'an unrelated page reloaded');
    await edited.close();
    await unrelated.close();
  });

  it('swaps an edited stylesheet without reloading', async () => {
    writeFileSync(path.join(site, 'static', 'extra.css'), 'body { outline: 0px solid red }');
    const page = await openMarked('/faq/delivery/');
    await page.evaluate((href) => {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = href;
      document.head.append(link);
    }, '/extra.css');
    writeFileSync(path.join(site, 'static', 'extra.css'), 'body { outline: 7px solid red }');
    await page.waitForFunction(() => getComputedStyle(document.body).outlineWidth === '7px', null, { timeout: WAIT });
    assert.equal(await page.evaluate(() => window.helpdeckMark), true, 'the page reloaded');
    await page.close();
  });

  it('shows a broken file over the last good page, escaped, until it is fixed', async () => {
    const page = await openMarked('/faq/delivery/');
    const dialogs = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      dialog.dismiss();
    });
    const file = path.join(site, 'content/faq/delivery.md');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, '+++\ntitle = <script>alert(1)</script>\n+++\nBroken\n');
    const overlay = page.locator('#hd-build-error');
    await overlay.waitFor({ timeout: WAIT });
    const text = await overlay.textContent();
    assert.match(text, /content\/faq\/delivery\.md:2/);
    assert.match(text, /<script>alert\(1\)<\/script>/, 'the quoted file text shows as text');
    assert.equal(await page.locator('#hd-build-error script').count(), 0);
    assert.ok(await page.locator('main h1').isVisible(), 'the last good page is still there');

    writeFileSync(file, good);
    await overlay.waitFor({ state: 'detached', timeout: WAIT });
    assert.deepEqual(dialogs, []);
    await page.close();
  });
});
