// Behaviour of the default theme in a real browser: deep-linked FAQ answers,
// no-JS reading, language switcher, product image, print stylesheet, assets.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import { setup, allPages, htmlPages, LANGUAGES, localized, VIEWPORTS, collectErrors } from './helpers.mjs';

const CSS_BUDGET = 25 * 1024;
const HASHED_ASSET = /^\/assets\/[\w-]+\.[0-9a-f]{8,}\.[a-z0-9]+$/;

let env;
before(async () => {
  env = await setup();
});
after(async () => {
  await env?.close();
});

/** Run `fn(page, errors)` in a fresh context; fails on console/page errors. */
async function withPage(options, fn) {
  const context = await env.browser.newContext({ viewport: VIEWPORTS.desktop, ...options });
  try {
    const page = await context.newPage();
    const errors = collectErrors(page);
    await fn(page);
    assert.deepEqual(errors, [], `console/page errors on ${page.url()}`);
  } finally {
    await context.close();
  }
}

/** Is the FAQ entry `id` shown open: an open <details>, or its answer visible? */
async function assertAnswerOpen(page, id, url) {
  const el = page.locator(`[id="${id.replace(/"/g, '\\"')}"]`);
  assert.equal(await el.count(), 1, `${url}: no element with id "${id}"`);
  const state = await el.evaluate((e) => ({
    tag: e.tagName,
    open: e.tagName === 'DETAILS' ? e.hasAttribute('open') : null,
  }));
  if (state.open) return;
  // Not an open <details>: its answer (everything but the <summary>) must be visible.
  const answer = el.locator(':scope > :not(summary)').first();
  const visible = (await answer.count()) > 0 && (await answer.isVisible());
  assert.ok(
    visible,
    `${url}: #${id} is a <${state.tag.toLowerCase()}>` +
      (state.tag === 'DETAILS' ? ' without the open attribute' : '') +
      ' and its answer is not visible',
  );
}

describe('FAQ deep links', () => {
  it('/faq/delivery/#where-is-my-order opens that answer', async () => {
    await withPage({}, async (page) => {
      const url = '/faq/delivery/#where-is-my-order';
      await page.goto(env.base + url, { waitUntil: 'load' });
      await assertAnswerOpen(page, 'where-is-my-order', url);
    });
  });

  it('/lt/faq/delivery/#<third question> opens that answer', async () => {
    let id;
    await withPage({}, async (page) => {
      await page.goto(env.base + '/lt/faq/delivery/', { waitUntil: 'load' });
      const questions = page.locator('main details[id]');
      assert.ok((await questions.count()) >= 3, '/lt/faq/delivery/ has fewer than 3 questions with an id');
      id = await questions.nth(2).getAttribute('id');
      assert.ok(id, 'third question has no id');
      assert.equal(await questions.nth(2).getAttribute('open'), null, 'third question is open even without a fragment');
    });
    // A fresh page, so this is a real load with the fragment, not a same-document hash change.
    await withPage({}, async (page) => {
      const url = `/lt/faq/delivery/#${encodeURIComponent(id)}`;
      await page.goto(env.base + url, { waitUntil: 'load' });
      await assertAnswerOpen(page, id, url);
    });
  });
});

describe('readable without JavaScript', () => {
  it('every built page shows its main content with JS disabled', async () => {
    const urls = htmlPages(env.site.dir);
    // Sanity: the listing must include every page kind in every language.
    for (const { url } of allPages()) assert.ok(urls.includes(url), `built site lacks ${url}`);
    const context = await env.browser.newContext({ viewport: VIEWPORTS.phone, javaScriptEnabled: false });
    const failures = [];
    try {
      const page = await context.newPage();
      const errors = collectErrors(page);
      for (const url of urls) {
        errors.length = 0;
        await page.goto(env.base + url, { waitUntil: 'load' });
        const main = page.locator('main');
        if ((await main.count()) !== 1) {
          failures.push(`${url}: expected one <main>, found ${await main.count()}`);
          continue;
        }
        if (!(await main.isVisible())) failures.push(`${url}: <main> is not visible`);
        const h1 = main.locator('h1').first();
        if (!(await h1.count()) || !(await h1.isVisible())) failures.push(`${url}: no visible <h1> in <main>`);
        const text = (await main.innerText()).trim();
        if (text.length < 40) failures.push(`${url}: <main> shows only ${JSON.stringify(text)}`);
        if (errors.length) failures.push(`${url}: ${errors.join('; ')}`);
      }
    } finally {
      await context.close();
    }
    assert.deepEqual(failures, []);
  });
});

describe('language switcher', () => {
  it('/policies/returns/ links to /lt/policies/returns/ and following it gives lang="lt"', async () => {
    for (const [vpName, viewport] of Object.entries(VIEWPORTS)) {
      await withPage({ viewport }, async (page) => {
        await page.goto(env.base + '/policies/returns/', { waitUntil: 'load' });
        const switcher = page.locator('.lang-switch');
        assert.equal(await switcher.count(), 1, 'no .lang-switch on /policies/returns/');
        const link = switcher.locator('a[href="/lt/policies/returns/"]');
        assert.equal(await link.count(), 1, `language switcher has no link to /lt/policies/returns/ (${vpName})`);
        // Follow it the way a user would: open the menu if the link is hidden, then click.
        if (!(await link.isVisible())) await switcher.locator('summary').first().click();
        assert.ok(await link.isVisible(), `link to /lt/policies/returns/ not visible after opening the menu (${vpName})`);
        await Promise.all([page.waitForURL(`${env.base}/lt/policies/returns/`), link.click()]);
        assert.equal(await page.locator('html').getAttribute('lang'), 'lt');
      });
    }
  });
});

describe('product page', () => {
  for (const lang of LANGUAGES) {
    const url = localized(lang, '/products/oak-board/');
    it(`${url} shows the product image with a non-empty alt`, async () => {
      await withPage({}, async (page) => {
        await page.goto(env.base + url, { waitUntil: 'load' });
        const img = page.locator('main img').first();
        assert.equal(await page.locator('main img').count() > 0, true, `${url}: no <img> in <main>`);
        const alt = await img.getAttribute('alt');
        assert.ok(alt && alt.trim().length > 0, `${url}: product image alt is ${JSON.stringify(alt)}`);
        await img.scrollIntoViewIfNeeded();
        // The image loads lazily and has no size until it has: visible only once it is complete.
        await page.waitForFunction((el) => el.complete, await img.elementHandle());
        assert.ok(await img.isVisible(), `${url}: product image is not visible`);
        const size = await img.evaluate((el) => ({ w: el.naturalWidth, h: el.naturalHeight }));
        assert.ok(size.w > 0 && size.h > 0, `${url}: product image did not load (${await img.getAttribute('src')})`);
      });
    });
  }
});

describe('print stylesheet', () => {
  it('/policies/returns/ hides the site header and footer when printed', async () => {
    await withPage({}, async (page) => {
      await page.goto(env.base + '/policies/returns/', { waitUntil: 'load' });
      const header = page.locator('body > header');
      const footer = page.locator('body > footer');
      assert.equal(await header.count(), 1, 'no site <header> (body > header)');
      assert.equal(await footer.count(), 1, 'no site <footer> (body > footer)');
      assert.ok(await header.isVisible(), 'site header not visible on screen');
      assert.ok(await footer.isVisible(), 'site footer not visible on screen');
      await page.emulateMedia({ media: 'print' });
      for (const [name, loc] of [['header', header], ['footer', footer]]) {
        const display = await loc.evaluate((e) => getComputedStyle(e).display);
        assert.ok(
          display === 'none' || !(await loc.isVisible()),
          `site ${name} is still shown in print (display: ${display})`,
        );
      }
      assert.ok(await page.locator('main h1').isVisible(), 'policy title not visible in print');
    });
  });
});

describe('assets', () => {
  async function assetUrls(page) {
    return page.evaluate(() =>
      [...document.querySelectorAll('link[rel~="stylesheet"][href], script[src]')].map((e) =>
        new URL(e.getAttribute('href') || e.getAttribute('src'), location.href),
      ).filter((u) => u.origin === location.origin).map((u) => u.pathname),
    );
  }

  it('the stylesheet is content-hashed (/assets/style.<hash>.css) and ≤ 25 KB', async () => {
    await withPage({}, async (page) => {
      for (const { url } of allPages()) {
        await page.goto(env.base + url, { waitUntil: 'load' });
        const css = (await assetUrls(page)).filter((p) => p.endsWith('.css'));
        const style = css.filter((p) => /^\/assets\/style\.[0-9a-f]{8,}\.css$/.test(p));
        assert.equal(style.length, 1, `${url}: expected one /assets/style.<hash>.css, found ${JSON.stringify(css)}`);
        const res = await page.request.get(env.base + style[0]);
        assert.equal(res.status(), 200, `${style[0]} answered HTTP ${res.status()}`);
        assert.match(res.headers()['content-type'] || '', /^text\/css/);
        const bytes = (await res.body()).length;
        assert.ok(bytes <= CSS_BUDGET, `${style[0]} is ${bytes} bytes, over the ${CSS_BUDGET}-byte budget`);
      }
    });
  });

  it('every local CSS/JS asset URL carries a content hash', async () => {
    await withPage({}, async (page) => {
      for (const { url } of allPages()) {
        await page.goto(env.base + url, { waitUntil: 'load' });
        for (const p of await assetUrls(page)) {
          assert.match(p, HASHED_ASSET, `${url}: asset ${p} has no content hash`);
          const size = statSync(path.join(env.site.dir, p)).size;
          assert.ok(size > 0, `${p} is empty`);
        }
      }
    });
  });
});

describe('Saved replies', () => {
  it('/lt/replies/ copies a reply with its link, and says so', async () => {
    await withPage({ permissions: ['clipboard-read', 'clipboard-write'] }, async (page) => {
      await page.goto(env.base + '/lt/replies/', { waitUntil: 'load' });
      const button = page.locator('.saved-reply button[data-copy]').first();
      assert.ok(await button.isVisible(), 'the Copy button is shown where copying works');
      await button.click();
      await page.waitForFunction(
        (b) => b.textContent === b.getAttribute('data-copied'),
        await button.elementHandle(),
      );
      assert.equal(await button.textContent(), 'Atsakymas nukopijuotas');
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      const shown = await page.locator('.saved-reply .reply-text').first().innerText();
      assert.equal(copied, shown.trim());
      assert.match(copied, /\nhttps:\/\/help\.oakandlinen\.example\/lt\/faq\//);
      assert.equal(await page.locator('#hd-live').textContent(), 'Atsakymas nukopijuotas');
    });
  });
});


describe('contact question box', () => {
  // A buyer's question, in their own words, and the FAQ question that answers it.
  const QUESTIONS = [
    ['en', '/', 'Wrong address', 'I typed the wrong street. Can I change the delivery address of my order?', 'Can I change my delivery address?'],
    ['lt', '/lt/', 'Neteisingas adresas', 'Ar galiu pakeisti pristatymo adresą? Suklydau rašydamas gatvę.', 'Ar galiu pakeisti pristatymo adresą?'],
    ['pl', '/pl/', 'Zły adres', 'Czy mogę zmienić adres dostawy? Pomyliłem ulicę.', 'Czy mogę zmienić adres dostawy?'],
  ];
  for (const [lang, url, subject, message, answer] of QUESTIONS) {
    it(`${url}: the answering FAQ question is linked first, and the email carries the question (${lang})`, async () => {
      await withPage({}, async (page) => {
        await page.goto(env.base + url, { waitUntil: 'load' });
        const ask = page.locator('[data-contact-ask]');
        assert.ok(await ask.isVisible(), 'the question box shows where JavaScript runs');
        await ask.locator('[name=subject]').fill(subject);
        await ask.locator('[name=message]').fill(message);
        const first = ask.locator('[data-ask-answers] li a').first();
        await first.waitFor({ state: 'visible' });
        assert.equal((await first.textContent()).trim(), answer);
        assert.match(await first.getAttribute('href'), /\/faq\/delivery\/#/);
        const mail = await ask.locator('[data-ask-email]').getAttribute('href');
        assert.equal(
          mail,
          `mailto:help@oakandlinen.example?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(message)}`,
        );
        // Following the link leads to that question on the FAQ page.
        await Promise.all([page.waitForURL(/\/faq\/delivery\/#/), first.click()]);
        await assertAnswerOpen(page, decodeURIComponent(page.url().split('#')[1]), page.url());
      });
    });
  }

  it('without JavaScript the contact block is the plain channels', async () => {
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await page.goto(env.base + '/lt/', { waitUntil: 'load' });
      assert.equal(await page.locator('[data-contact-ask]').isVisible(), false);
      const email = page.locator('.contact-channels a[href^="mailto:"]');
      assert.ok(await email.isVisible());
    });
  });
});
