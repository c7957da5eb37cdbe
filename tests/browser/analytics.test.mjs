// [analytics] in a real browser, on the demo (which sends its events to the access log as
// requests for /_hd/e.gif): a query is reported once it settles, never letter by letter; an
// opened result reports its rank; an email address or an order number never leaves the
// page; a browser asking not to be tracked sends no search events; and a vote is thanked only
// when a destination took it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { VIEWPORTS, buildDemo, collectErrors, launchBrowser, serveStatic } from './helpers.mjs';

const EVENT_FILE = '/_hd/e.gif';
/** A query counts as asked after 1.5 s on screen (search.js, SETTLED_MS). */
const SETTLE = 2200;

let site;
let server;
let browser;
before(async () => {
  site = buildDemo();
  server = await serveStatic(site.dir);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
  site?.cleanup();
});

/** A fresh page recording every event request (as URLSearchParams) and every request URL. */
async function withPage(fn, { init = null, allow = null } = {}) {
  const context = await browser.newContext({ viewport: VIEWPORTS.desktop });
  try {
    const page = await context.newPage();
    if (init) await page.addInitScript(init);
    const errors = collectErrors(page);
    const events = [];
    const urls = [];
    page.on('request', (request) => {
      urls.push(request.url());
      const url = new URL(request.url());
      if (url.pathname === EVENT_FILE) events.push(url.searchParams);
    });
    await fn(page, events, urls);
    const unexpected = errors.filter((e) => !(allow && allow.test(e)));
    assert.deepEqual(unexpected, [], `console/page errors on ${page.url()}`);
  } finally {
    await context.close();
  }
}

const fields = (params) => Object.fromEntries(params.entries());

describe('search events', () => {
  it('report a query once it settles, not while it is typed, and the rank of the result opened', async () => {
    await withPage(async (page, events) => {
      await page.goto(server.url + '/', { waitUntil: 'load' });
      const input = page.locator('form[data-search-index] input[name=q]');
      await input.click();
      await input.pressSequentially('refund', { delay: 80 });
      await page.locator('#hd-search-popup [role=option]').first().waitFor();
      assert.deepEqual(events.map(fields), [], 'nothing is sent while the buyer types');
      await page.waitForTimeout(SETTLE);
      assert.equal(events.length, 1, 'one event for the settled query');
      const search = fields(events[0]);
      assert.equal(search.event, 'search');
      assert.equal(search.lang, 'en');
      assert.equal(search.query, 'refund');
      const shown = await page.locator('#hd-search-popup [role=option]').count();
      assert.equal(Number(search.results), shown);
      assert.ok(shown > 0);

      const second = page.locator('#hd-search-popup [role=option]').nth(1);
      const target = await second.getAttribute('href');
      await Promise.all([page.waitForURL((url) => url.pathname + url.hash === target || url.href.endsWith(target)), second.click()]);
      await page.waitForTimeout(300);
      assert.deepEqual(fields(events[1]), { event: 'click', lang: 'en', query: 'refund', rank: '2' });
      assert.equal(events.length, 2, 'the settled query is not reported again');
    });
  });

  it('in Lithuanian carry the page language, and a result opened at once reports its query first', async () => {
    await withPage(async (page, events) => {
      await page.goto(server.url + '/lt/', { waitUntil: 'load' });
      const input = page.locator('form[data-search-index] input[name=q]');
      await input.fill('grąžinimas');
      const first = page.locator('#hd-search-popup [role=option]').first();
      await first.waitFor();
      await input.press('ArrowDown');
      await Promise.all([page.waitForURL(/\/lt\//), input.press('Enter')]);
      await page.waitForTimeout(300);
      const sent = events.map(fields);
      assert.equal(sent.length, 2, JSON.stringify(sent));
      assert.equal(sent[0].event, 'search');
      assert.equal(sent[0].query, 'grąžinimas');
      assert.equal(sent[0].lang, 'lt');
      assert.deepEqual(sent[1], { event: 'click', lang: 'lt', query: 'grąžinimas', rank: '1' });
    });
  });

  it('never send an email address or an order number a buyer typed', async () => {
    await withPage(async (page, events, urls) => {
      await page.goto(server.url + '/', { waitUntil: 'load' });
      const input = page.locator('form[data-search-index] input[name=q]');
      await input.fill('Order  #4417-2291 jane.doe@example.com refund');
      await page.locator('#hd-search-popup').waitFor();
      await page.waitForTimeout(SETTLE);
      assert.equal(events.length, 1);
      assert.equal(fields(events[0]).query, 'order [number] [email] refund');
      for (const url of urls) {
        const decoded = decodeURIComponent(url);
        assert.ok(!decoded.includes('jane.doe') && !decoded.includes('2291'), `sent: ${url}`);
      }
    });
  });

  it('are not sent when the browser asks not to be tracked', async () => {
    await withPage(
      async (page, events) => {
        await page.goto(server.url + '/', { waitUntil: 'load' });
        await page.locator('form[data-search-index] input[name=q]').fill('shipping');
        await page.locator('#hd-search-popup [role=option]').first().waitFor();
        await page.waitForTimeout(SETTLE);
        assert.deepEqual(events.map(fields), []);
      },
      { init: () => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }) },
    );
  });
});

describe('votes', () => {
  const endpoint = 'https://forms.oakandlinen.example/helpful';

  it('are thanked only once a destination took them, and may be sent again', async () => {
    await withPage(
      async (page, events) => {
        let logUp = false;
        await page.route(`**${EVENT_FILE}?*`, (route) =>
          logUp ? route.continue() : route.fulfill({ status: 503, body: '' }),
        );
        await page.route(endpoint, (route) =>
          route.fulfill({ status: 500, headers: { 'Access-Control-Allow-Origin': '*' }, body: '' }),
        );
        await page.goto(server.url + '/lt/policies/returns/', { waitUntil: 'load' });
        const box = page.locator('section.feedback');
        await box.getByRole('button', { name: 'Ne' }).click();
        const failed = box.locator('[data-feedback-failed]');
        await failed.waitFor({ state: 'visible' });
        assert.equal(await box.locator('[data-feedback-thanks]').isVisible(), false);
        assert.match(await failed.innerText(), /nepavyko/);
        assert.equal(await box.locator('[data-feedback-contact]').isVisible(), true, 'a "no" still shows the channels');
        assert.equal(await page.evaluate(() => document.activeElement?.hasAttribute('data-feedback-failed')), true);
        assert.deepEqual(fields(events[0]), { event: 'vote', lang: 'lt', page: '/lt/policies/returns/', helpful: 'no' });

        logUp = true;
        await box.getByRole('button', { name: 'Ne' }).click();
        await box.locator('[data-feedback-thanks]').waitFor({ state: 'visible' });
        assert.equal(await failed.isVisible(), false);
        assert.equal(await box.getByRole('button', { name: 'Ne' }).isVisible(), false, 'one vote recorded');
      },
      { allow: /503|500|Failed to load resource/ },
    );
  });

  it('are thanked when the feedback endpoint alone took them', async () => {
    await withPage(
      async (page) => {
        await page.route(`**${EVENT_FILE}?*`, (route) => route.abort());
        await page.route(endpoint, (route) =>
          route.fulfill({ status: 204, headers: { 'Access-Control-Allow-Origin': '*' } }),
        );
        await page.goto(server.url + '/policies/returns/', { waitUntil: 'load' });
        const box = page.locator('section.feedback');
        await box.getByRole('button', { name: 'Yes' }).click();
        await box.locator('[data-feedback-thanks]').waitFor({ state: 'visible' });
        assert.equal(await box.locator('[data-feedback-failed]').isVisible(), false);
      },
      { allow: /Failed to load resource|ERR_FAILED/ },
    );
  });
});
