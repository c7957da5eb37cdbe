// Search in a real browser: typing in the header box of the multilingual demo (en, lt, pl,
// zh-Hant, ms), the first result and its anchor, keyboard use, the search page, what is
// offered when little or nothing is found, a broken index, a base path, and content or
// queries that try to inject markup.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync, readdirSync, unlinkSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BINARY, REPO_ROOT, AXE_PATH, serveStatic, launchBrowser, collectErrors, VIEWPORTS } from './helpers.mjs';

const XSS_TITLE = '<img src=x onerror=alert(1)>';
const XSS_QUERY = '"><svg onload=alert(1)>';

/** The demo plus a page whose title is markup, built under `basePath` in a temp dir. */
function buildFixture(tmp, basePath = '') {
  const root = path.join(tmp, `src${basePath.replace(/\//g, '-')}`);
  for (const part of ['helpdeck.toml', 'content', 'data', 'static']) {
    cpSync(path.join(REPO_ROOT, part), path.join(root, part), { recursive: true });
  }
  writeFileSync(
    path.join(root, 'content', 'guides', 'markup-title.md'),
    `+++\ntitle = ${JSON.stringify(XSS_TITLE)}\n+++\nA page about zebrawood care, whose title is markup.\n`,
  );
  const served = path.join(tmp, `out${basePath.replace(/\//g, '-')}`);
  const out = path.join(served, basePath);
  mkdirSync(served, { recursive: true });
  const args = ['build', '--root', root, '--output', out];
  if (basePath) args.push('--base-url', `http://127.0.0.1${basePath}/`);
  execFileSync(BINARY, args, { stdio: 'pipe' });
  return { served, out };
}

let tmp;
let browser;
let site;
let server;

before(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'helpdeck-search-'));
  site = buildFixture(tmp);
  server = await serveStatic(site.served);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** A fresh page; fails on console errors, uncaught errors and dialogs (alert() = XSS). */
async function withPage(fn, { base = server.url, allow = [] } = {}) {
  const context = await browser.newContext({ viewport: VIEWPORTS.desktop });
  const page = await context.newPage();
  const errors = collectErrors(page);
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    d.dismiss();
  });
  try {
    await fn(page, base);
    const unexpected = errors.filter((e) => !allow.some((a) => e.includes(a)));
    assert.deepEqual(unexpected, [], `errors on ${page.url()}`);
  } finally {
    await context.close();
  }
}

/** Types `query` into the header search box and waits for the results popup. */
async function typeQuery(page, query) {
  const input = page.locator('#search-input');
  await input.click();
  await input.fill(query);
  await page.locator('#hd-search-popup:not([hidden])').waitFor();
  await page.waitForFunction(
    () => document.querySelector('#hd-search-popup .search-result, #hd-search-popup .search-empty, #hd-search-popup .search-unavailable'),
  );
}

const firstResult = (page) => page.locator('#hd-search-popup .search-result a').first().getAttribute('href');
const decoded = (href) => decodeURIComponent(href);

describe('typing in the header box finds the answer', () => {
  const cases = [
    ['en', '/', 'returns', '/policies/returns/'],
    ['en', '/', 'retrun', '/policies/returns/', 'a typo'],
    ['en', '/', 'refunded', '/policies/', 'an inflected form'],
    ['lt', '/lt/', 'grazinimas', '/lt/policies/returns/', 'no diacritics'],
    ['lt', '/lt/', 'grąžinimo terminas', '/lt/policies/returns/#30-dienų-grąžinimo-terminas', 'an inflected form'],
    ['pl', '/pl/', 'wysylka', '/pl/faq/delivery/#ile-kosztuje-wysyłka', 'no diacritics'],
    ['pl', '/pl/', 'zwrotu pieniędzy', '/pl/policies/', 'an inflected form'],
    ['zh-Hant', '/zh-Hant/', '運費', '/zh-Hant/faq/delivery/#運費是多少', 'Chinese'],
    ['zh-Hant', '/zh-Hant/', '售后', '/zh-Hant/policies/privacy/', 'Simplified on Traditional text'],
    ['ms', '/ms/', 'pemulangan', '/ms/policies/returns/'],
  ];
  for (const [lang, home, query, expected, what = ''] of cases) {
    it(`${lang}: "${query}" ${what ? `(${what}) ` : ''}→ ${expected}`, async () => {
      await withPage(async (page) => {
        await page.goto(server.url + home);
        await typeQuery(page, query);
        const href = decoded(await firstResult(page));
        assert.ok(href.startsWith(expected), `first result ${href}, expected ${expected}`);
        const status = await page.locator('#hd-live').textContent();
        assert.match(status, /\d/, 'the result count is announced');
        const marks = await page.locator('#hd-search-popup mark').count();
        assert.ok(marks > 0, 'matches are highlighted');
      });
    });
  }
});

describe('keyboard', () => {
  it('"/" focuses the box, ↓ selects, Enter opens the result at its anchor, Esc closes', async () => {
    await withPage(async (page) => {
      await page.goto(`${server.url}/policies/shipping/`);
      await page.locator('body').press('/');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'search-input');
      await page.keyboard.type('where is my order');
      await page.locator('#hd-search-popup .search-result').first().waitFor();
      const input = page.locator('#search-input');
      assert.equal(await input.getAttribute('aria-expanded'), 'true');
      await page.keyboard.press('ArrowDown');
      const selected = page.locator('#hd-search-popup [role=option][aria-selected=true]');
      assert.equal(await selected.count(), 1);
      assert.equal(await input.getAttribute('aria-activedescendant'), await selected.getAttribute('id'));
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowUp');
      const href = await selected.getAttribute('href');
      await page.keyboard.press('Escape');
      assert.equal(await input.getAttribute('aria-expanded'), 'false');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.pathname + url.hash === href);
    });
  });
});

describe('the search page', () => {
  it('/lt/search/?q=… is shareable and counts in Lithuanian', async () => {
    await withPage(async (page) => {
      await page.goto(`${server.url}/lt/search/?q=${encodeURIComponent('pristatymas')}`);
      await page.locator('#hd-search-page .search-result').first().waitFor();
      assert.equal(await page.locator('#search-input').inputValue(), 'pristatymas');
      const status = await page.locator('#hd-search-page [role=status]').textContent();
      const n = await page.locator('#hd-search-page .search-result').count();
      const forms = await page.evaluate(() => {
        const ui = document.getElementById('hd-search-ui');
        return Object.fromEntries([...ui.attributes].filter((a) => a.name.startsWith('data-results-')).map((a) => [a.name.slice(13), a.value]));
      });
      const category = new Intl.PluralRules('lt').select(n);
      assert.equal(status, forms[category].replace('{count}', String(n)));
    });
  });

  it('submitting the form on the search page updates the address', async () => {
    await withPage(async (page) => {
      await page.goto(`${server.url}/search/`);
      await page.locator('#search-input').fill('shipping');
      await page.locator('#search-input').press('Enter');
      await page.locator('#hd-search-page .search-result').first().waitFor();
      assert.equal(new URL(page.url()).searchParams.get('q'), 'shipping');
    });
  });
});

describe('little or nothing found', () => {
  it('a word only the English pages have is offered from English on the Lithuanian site', async () => {
    await withPage(async (page) => {
      await page.goto(`${server.url}/lt/`);
      await typeQuery(page, 'withdrawal');
      await page.locator('#hd-search-popup .search-also .search-result').first().waitFor();
      assert.equal(await page.locator('#hd-search-popup .search-also ul').getAttribute('lang'), 'en');
      const title = await page.locator('#hd-search-popup .search-also-title').textContent();
      assert.ok(title.includes('English'), title);
    });
  });

  it('two letters that are no word leave the popup closed; the third searches', async () => {
    await withPage(async (page) => {
      await page.goto(`${server.url}/`);
      const input = page.locator('#search-input');
      await input.click();
      await input.pressSequentially('qz', { delay: 100 });
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(300);
      assert.equal(await page.locator('#hd-search-popup').isHidden(), true, 'nothing said about "qz"');
      await input.pressSequentially('x');
      await page.locator('#hd-search-popup:not([hidden]) .search-empty').waitFor();
    });
  });

  it('nothing found offers the FAQ and the contact channels', async () => {
    await withPage(async (page) => {
      await page.goto(`${server.url}/pl/`);
      await typeQuery(page, 'qqxyzzy');
      assert.equal(await page.locator('#hd-search-popup .search-result').count(), 0);
      const help = page.locator('#hd-search-popup .search-help');
      assert.equal(await help.locator('a[href="/pl/faq/"]').count(), 1);
      assert.equal(await help.locator('a[href^="mailto:"]').count(), 1);
    });
  });
});

describe('markup in content and queries stays text', () => {
  it(`a page titled ${XSS_TITLE} is listed as text`, async () => {
    await withPage(async (page) => {
      await page.goto(`${server.url}/guides/`);
      await typeQuery(page, 'zebrawood');
      const title = page.locator('#hd-search-popup .search-result-title').first();
      assert.equal(await title.textContent(), XSS_TITLE);
      assert.equal(await page.locator('#hd-search-popup img, #hd-search-popup svg').count(), 0);
    });
  });

  it(`the query ${XSS_QUERY} is shown as text, in the popup and on the search page`, async () => {
    await withPage(async (page) => {
      await page.goto(`${server.url}/`);
      await typeQuery(page, XSS_QUERY);
      await page.goto(`${server.url}/search/?q=${encodeURIComponent(XSS_QUERY)}`);
      await page.locator('#hd-search-page .search-empty, #hd-search-page .search-result').first().waitFor();
      assert.equal(await page.locator('main svg[onload], main img[onerror]').count(), 0);
      const empty = page.locator('#hd-search-page .search-empty');
      if (await empty.count()) assert.ok((await empty.textContent()).includes(XSS_QUERY));
    });
  });
});

describe('accessibility', () => {
  const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
  for (const scheme of ['light', 'dark']) {
    it(`axe finds nothing wrong with the open results or the search page (${scheme})`, async () => {
      await withPage(async (page) => {
        await page.emulateMedia({ colorScheme: scheme });
        const check = async (where) => {
          await page.addScriptTag({ path: AXE_PATH });
          const results = await page.evaluate((tags) => window.axe.run(document, { runOnly: tags }), AXE_TAGS);
          assert.deepEqual(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), [], where);
        };
        await page.goto(`${server.url}/lt/policies/`);
        await typeQuery(page, 'pristatymas');
        await page.keyboard.press('ArrowDown');
        await check('the results popup');
        await page.goto(`${server.url}/zh-Hant/search/?q=${encodeURIComponent('運費')}`);
        await page.locator('#hd-search-page .search-result').first().waitFor();
        await check('the search page');
        await page.goto(`${server.url}/pl/search/?q=qqxyzzy`);
        await page.locator('#hd-search-page .search-help').waitFor();
        await check('the search page with nothing found');
      });
    });
  }
});

describe('the programmatic API', () => {
  it('window.helpdeck.search returns {url, title, heading, snippet} best first, in the page language', async () => {
    await withPage(async (page) => {
      await page.goto(`${server.url}/ms/`);
      const results = await page.evaluate(() => window.helpdeck.search('bayaran balik'));
      assert.ok(results.length > 0);
      assert.deepEqual(Object.keys(results[0]).sort(), ['heading', 'snippet', 'title', 'url']);
      assert.ok(results.every((r) => r.url.startsWith('/ms/')), JSON.stringify(results));
    });
  });
});

describe('round trips', () => {
  /** The requests a server saw for the search index after `since`. */
  const indexRequests = (srv, since) => srv.requests.slice(since).filter((r) => r.path.includes('/search-index/'));

  it('focus fetches the manifest; a word then costs one ranged request, in every demo language', async () => {
    for (const [lang, home, word] of [['en', '/', 'refund'], ['lt', '/lt/', 'grąžinimas'], ['pl', '/pl/', 'zwrot'], ['zh-Hant', '/zh-Hant/', '退貨'], ['ms', '/ms/', 'bayaran']]) {
      await withPage(async (page) => {
        await page.goto(`${server.url}${home}`);
        const start = server.requests.length;
        await page.locator('#search-input').focus();
        await page.waitForFunction(() => window.helpdeck && window.helpdeck.search);
        await page.waitForLoadState('networkidle');
        const onFocus = indexRequests(server, start);
        assert.deepEqual(onFocus.map((r) => r.path), [`/search-index/${lang}.json.gz`], `${lang}: focus fetches the manifest only`);
        const typed = server.requests.length;
        await page.locator('#search-input').fill(word);
        await page.locator('#hd-search-popup .search-result').first().waitFor();
        await page.waitForLoadState('networkidle');
        const forQuery = indexRequests(server, typed);
        assert.equal(forQuery.length, 1, `${lang} ${word}: ${JSON.stringify(forQuery)}`);
        assert.match(forQuery[0].path, new RegExp(`^/search-index/${lang}/pack\\.[0-9a-f]{12}\\.\\d+\\.bin$`));
        assert.match(forQuery[0].range, /^bytes=\d+-\d+$/);
        const shown = await page.locator('#hd-search-popup .search-result').count();
        assert.ok(shown >= 3, `${lang} ${word}: ${shown} results`);
        for (const snippet of await page.locator('#hd-search-popup .search-result-snippet').allTextContents()) assert.ok(snippet.trim(), `${lang} ${word}: a result without a snippet`);
      });
    }
  });

  it('a host that ignores Range (sends whole packs) gives the same results', async () => {
    const whole = await serveStatic(site.served, { ranges: false });
    try {
      const results = {};
      for (const [name, base] of [['ranged', server.url], ['whole', whole.url]]) {
        await withPage(async (page) => {
          await page.goto(`${base}/`);
          results[name] = await page.evaluate(() => Promise.all(['refund', 'return window', 'how long will delivery take'].map((q) => window.helpdeck.search(q))));
        });
      }
      assert.ok(results.ranged.every((r) => r.length > 0));
      assert.deepEqual(results.whole, results.ranged);
    } finally {
      await whole.close();
    }
  });
});

describe('a damaged index', () => {
  it('a missing pack says search is unavailable, and the page keeps working', async () => {
    const broken = buildFixture(path.join(tmp), '/broken');
    const dir = path.join(broken.out, 'search-index', 'en');
    for (const f of readdirSync(dir)) if (f.startsWith('pack.')) unlinkSync(path.join(dir, f));
    const brokenServer = await serveStatic(broken.served);
    try {
      await withPage(
        async (page, base) => {
          await page.goto(`${base}/broken/policies/`);
          await typeQuery(page, 'refund');
          assert.equal(await page.locator('#hd-search-popup .search-unavailable').count(), 1);
          // The rest of the page still works: the language menu opens.
          await page.locator('.lang-switch summary').click();
          assert.equal(await page.locator('.lang-switch details[open]').count(), 1);
        },
        { base: brokenServer.url, allow: ['404', 'Failed to load resource'] },
      );
    } finally {
      await brokenServer.close();
    }
  });
});

describe('a base path (GitHub Pages project site)', () => {
  it('search works under /shop-help/', async () => {
    const sub = buildFixture(tmp, '/shop-help');
    const subServer = await serveStatic(sub.served);
    try {
      await withPage(
        async (page, base) => {
          await page.goto(`${base}/shop-help/lt/`);
          await typeQuery(page, 'grazinimas');
          const href = decoded(await firstResult(page));
          assert.ok(href.startsWith('/shop-help/lt/policies/returns/'), href);
        },
        { base: subServer.url },
      );
    } finally {
      await subServer.close();
    }
  });
});
