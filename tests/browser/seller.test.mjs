// What sellers get, in a real browser with a fixed clock: the notice banner inside
// its window and hidden outside it, "open now" / "opens …" / "reply by …" in the
// visitor's own time, feedback votes sent to a local endpoint (a "no" shows the
// contact options), the root 404 sending visitors to their language's 404 page,
// alias redirects followed, and axe staying clean with all of it shown.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AXE_PATH, BINARY, REPO_ROOT, VIEWPORTS, collectErrors, contentType, launchBrowser, serveStatic } from './helpers.mjs';

/** 2026-12-01 12:00 UTC: the build is before the demo's notice and holidays. */
const BUILT_AT = '1796126400';

/** A local form endpoint that records every vote it receives, and tells the site so (CORS)
    unless `cors` is turned off. */
function voteEndpoint() {
  const votes = [];
  const state = { cors: true };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (req.method === 'POST') votes.push({ type: req.headers['content-type'], body: new URLSearchParams(body) });
      res.writeHead(204, state.cors ? { 'Access-Control-Allow-Origin': '*' } : {});
      res.end();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}/helpful`,
        votes,
        state,
        close: () => new Promise((r) => server.close(() => r())),
      }),
    );
  });
}

/** The demo, with its feedback endpoint pointed at `endpoint` and an alias, built into `out`. */
function buildDemoCopy(dir, endpoint, out, extraArgs = []) {
  for (const name of ['content', 'data', 'static']) {
    cpSync(path.join(REPO_ROOT, name), path.join(dir, name), { recursive: true });
  }
  // An old address for the returns policy, to follow its redirect.
  const returns = path.join(dir, 'content', 'policies', 'returns.md');
  writeFileSync(returns, readFileSync(returns, 'utf8').replace('policy = "returns"', 'policy = "returns"\naliases = ["/returns/"]'));
  const config = readFileSync(path.join(REPO_ROOT, 'helpdeck.toml'), 'utf8');
  const pointed = config.replace(/^endpoint = "[^"]*"/m, `endpoint = "${endpoint}"`);
  assert.notEqual(pointed, config, 'the demo config has a feedback endpoint');
  writeFileSync(path.join(dir, 'helpdeck.toml'), pointed);
  execFileSync(BINARY, ['build', '--root', dir, '--output', out, ...extraArgs], {
    env: { ...process.env, SOURCE_DATE_EPOCH: BUILT_AT },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

let env;
before(async () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'helpdeck-seller-'));
  const endpoint = await voteEndpoint();
  const site = path.join(tmp, 'site');
  const underHelp = path.join(tmp, 'site-help');
  // Served before it is built, so permalinks (alias redirects) point at this server.
  const server = await serveStatic(site);
  try {
    buildDemoCopy(path.join(tmp, 'root'), endpoint.url, site, ['--base-url', server.url]);
    buildDemoCopy(path.join(tmp, 'root-help'), endpoint.url, underHelp, ['--base-url', 'https://shop.example/help']);
  } catch (error) {
    // Open servers would keep the test run alive after the failure.
    await server.close();
    await endpoint.close();
    throw new Error(`the demo did not build: ${error.stderr ?? error}`);
  }
  const browser = await launchBrowser();
  env = {
    base: server.url,
    site,
    underHelp,
    endpoint,
    browser,
    close: async () => {
      await browser.close().catch(() => {});
      await server.close();
      await endpoint.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
});
after(async () => {
  await env?.close();
});

/**
 * Run `fn(page)` in a fresh context whose clock stands at `time`; fails on console errors
 * other than those matching `expected`.
 */
async function atTime(time, options, fn, expected = null) {
  const context = await env.browser.newContext({
    viewport: VIEWPORTS.desktop,
    locale: 'en-GB',
    timezoneId: 'Europe/Vilnius',
    ...options,
  });
  try {
    const page = await context.newPage();
    const errors = collectErrors(page);
    if (time) await page.clock.setFixedTime(new Date(time));
    await fn(page);
    const unexpected = errors.filter((e) => !(expected && expected.test(e)));
    assert.deepEqual(unexpected, [], `console/page errors on ${page.url()}`);
  } finally {
    await context.close();
  }
}

describe('notice banner', () => {
  for (const [time, shown] of [
    ['2026-12-10T12:00:00+02:00', false],
    ['2026-12-18T00:00:00+02:00', true],
    ['2026-12-28T10:00:00+02:00', true],
    ['2027-01-04T23:59:00+02:00', true],
    ['2027-01-05T00:00:00+02:00', false],
    ['2027-01-10T12:00:00+02:00', false],
  ]) {
    it(`is ${shown ? 'shown' : 'hidden'} at ${time}, though the site was built on 1 December`, async () => {
      await atTime(time, {}, async (page) => {
        for (const url of ['/', '/lt/policies/returns/']) {
          await page.goto(env.base + url, { waitUntil: 'load' });
          const notice = page.locator('header .notice');
          assert.equal(await notice.count(), 1, url);
          assert.equal(await notice.isVisible(), shown, `${url} at ${time}`);
          if (shown && url.startsWith('/lt/')) {
            assert.match(await notice.innerText(), /Šventinis laikotarpis/);
          }
        }
      });
    });
  }

  it('without JS shows what was current when the site was built', async () => {
    await atTime(null, { javaScriptEnabled: false }, async (page) => {
      await page.goto(env.base + '/', { waitUntil: 'load' });
      assert.equal(await page.locator('header .notice').isVisible(), false, 'upcoming on 1 December');
    });
  });
});

describe('contact block', () => {
  const status = (page) => page.locator('.contact [data-open-status]');
  const replyBy = (page) => page.locator('.contact [data-reply-by-text]');

  it('says "open now" inside business hours', async () => {
    await atTime('2026-12-02T10:00:00+02:00', {}, async (page) => {
      await page.goto(env.base + '/', { waitUntil: 'load' });
      assert.equal(await status(page).innerText(), 'Open now');
    });
    await atTime('2026-12-02T16:59:00+02:00', {}, async (page) => {
      await page.goto(env.base + '/lt/', { waitUntil: 'load' });
      assert.equal(await status(page).innerText(), 'Dabar dirbame');
    });
  });

  // Times are written the page's way (English: 12-hour) in the visitor's time zone.
  it('says when it opens, in the visitor\'s own time zone', async () => {
    // Saturday noon in Vilnius: opens Monday 09:00 Vilnius time.
    await atTime('2026-12-05T12:00:00+02:00', {}, async (page) => {
      await page.goto(env.base + '/', { waitUntil: 'load' });
      assert.match(await status(page).innerText(), /^Closed · opens Monday( at)? 9:00\sAM$/);
    });
    await atTime('2026-12-05T12:00:00+02:00', { timezoneId: 'America/New_York', locale: 'en-US' }, async (page) => {
      await page.goto(env.base + '/', { waitUntil: 'load' });
      // The visitor's clock is named: the table beside it shows the shop's.
      assert.match(await status(page).innerText(), /^Closed · opens Monday(,| at)? 2:00\sAM EST$/);
    });
    // Friday after closing.
    await atTime('2026-12-04T17:00:00+02:00', {}, async (page) => {
      await page.goto(env.base + '/', { waitUntil: 'load' });
      assert.match(await status(page).innerText(), /opens Monday( at)? 9:00\sAM$/);
    });
  });

  it('skips holidays', async () => {
    // Christmas Eve (a Thursday) to Boxing Day are closed: next opening Monday 28 December.
    await atTime('2026-12-24T10:00:00+02:00', {}, async (page) => {
      await page.goto(env.base + '/', { waitUntil: 'load' });
      assert.match(await status(page).innerText(), /^Closed · opens Monday( at)? 9:00\sAM$/);
      const holidays = page.locator('.holidays li');
      assert.equal(await holidays.count(), 2);
      assert.equal(await holidays.first().isVisible(), true, 'Christmas is not over yet');
    });
    await atTime('2026-12-29T10:00:00+02:00', {}, async (page) => {
      await page.goto(env.base + '/', { waitUntil: 'load' });
      assert.equal(await status(page).innerText(), 'Open now');
      assert.equal(await page.locator('.holidays li').first().isVisible(), false, 'past holidays hide');
    });
  });

  it('promises a reply by a time counted in business days', async () => {
    // Friday 15:00: 9 hours left on Friday, none at the weekend, 15 on Monday.
    await atTime('2026-12-04T15:00:00+02:00', {}, async (page) => {
      await page.goto(env.base + '/', { waitUntil: 'load' });
      assert.match(await replyBy(page).innerText(), /^Write to us now and we will reply by Monday( at)? 3:00\sPM\.$/);
    });
    await atTime('2026-12-04T15:00:00+02:00', { timezoneId: 'Asia/Taipei' }, async (page) => {
      await page.goto(env.base + '/zh-Hant/', { waitUntil: 'load' });
      assert.match(await replyBy(page).innerText(), /星期一/);
      assert.match(await replyBy(page).innerText(), /9:00/);
      assert.match(await replyBy(page).innerText(), /GMT\+8|台北/);
    });
  });

  // The promise is a full hour when the shop is open: never "by 10:08 PM".
  for (const [now, promise, why] of [
    ['2026-12-04T15:08:00+02:00', /reply by Monday( at)? 4:00\sPM\.$/, 'rounded up to the full hour'],
    ['2026-12-04T20:00:00+02:00', /reply by Tuesday( at)? 9:00\sAM\.$/, 'due Monday 8 PM, after closing: next opening'],
    ['2026-12-23T15:00:00+02:00', /reply by Monday( at)? 3:00\sPM\.$/, 'Christmas closure and the weekend skipped'],
    ['2027-03-26T15:00:00+02:00', /reply by Monday( at)? 3:00\sPM\.$/, 'across the change to summer time'],
  ]) {
    it(`promises a reply within business hours (${why})`, async () => {
      await atTime(now, {}, async (page) => {
        await page.goto(env.base + '/', { waitUntil: 'load' });
        assert.match(await replyBy(page).innerText(), promise);
      });
    });
  }

  it('reads correctly without JS, with its time zone', async () => {
    await atTime(null, { javaScriptEnabled: false }, async (page) => {
      await page.goto(env.base + '/', { waitUntil: 'load' });
      assert.equal(await status(page).isVisible(), false);
      assert.match(await page.locator('.business-hours tbody tr').first().innerText(), /Monday\s+9:00\sAM–5:00\sPM/);
      assert.match(await page.locator('.timezone-note').innerText(), /Europe\/Vilnius/);
    });
  });
});

describe('feedback', () => {
  /** The next vote the endpoint receives. */
  async function nextVote(count) {
    for (let i = 0; i < 100 && env.endpoint.votes.length < count; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(env.endpoint.votes.length, count, 'the vote reached the endpoint');
    return env.endpoint.votes[count - 1];
  }

  it('"no" sends the vote and shows the contact options', async () => {
    await atTime(null, {}, async (page) => {
      await page.goto(env.base + '/policies/returns/', { waitUntil: 'load' });
      const box = page.locator('section.feedback');
      assert.equal(await box.isVisible(), true);
      assert.equal(await box.locator('[data-feedback-contact]').isVisible(), false);
      const before = env.endpoint.votes.length;
      await box.getByRole('button', { name: 'No' }).click();
      const vote = await nextVote(before + 1);
      assert.equal(vote.type, 'application/x-www-form-urlencoded;charset=UTF-8');
      assert.equal(vote.body.get('helpful'), 'no');
      assert.equal(vote.body.get('page'), '/policies/returns/');
      assert.equal(vote.body.get('lang'), 'en');
      // Thanked once the endpoint's answer reaches the page, which can be a moment after the
      // endpoint has the vote.
      await box.locator('[data-feedback-thanks]').waitFor({ state: 'visible', timeout: 5000 });
      assert.equal(await box.locator('[data-feedback-contact]').isVisible(), true);
      assert.equal(await box.locator('a[href^="mailto:"]').isVisible(), true);
      assert.equal(await box.getByRole('button', { name: 'No' }).isVisible(), false, 'one vote per visit');
      assert.equal(
        await page.evaluate(() => document.activeElement?.hasAttribute('data-feedback-thanks')),
        true,
        'focus moves to the thanks, not to the top of the page',
      );
    });
  });

  it('"yes" in Lithuanian sends the vote and the analytics event', async () => {
    await atTime(null, {}, async (page) => {
      await page.addInitScript(() => {
        window.plausible = (name, options) => (window.sentEvents = window.sentEvents || []).push([name, options]);
      });
      await page.goto(env.base + '/lt/guides/caring-for-oak/', { waitUntil: 'load' });
      const box = page.locator('section.feedback');
      const before = env.endpoint.votes.length;
      await box.getByRole('button', { name: 'Taip' }).click();
      const vote = await nextVote(before + 1);
      assert.equal(vote.body.get('helpful'), 'yes');
      assert.equal(vote.body.get('lang'), 'lt');
      assert.equal(vote.body.get('page'), '/lt/guides/caring-for-oak/');
      assert.equal(await box.locator('[data-feedback-contact]').isVisible(), false);
      const events = await page.evaluate(() => window.sentEvents);
      assert.deepEqual(events, [
        ['helpful_vote', { props: { page: '/lt/guides/caring-for-oak/', lang: 'lt', helpful: 'yes' } }],
      ]);
    });
  });

  it('is not thanked when the endpoint took the vote without telling this site (no CORS)', async () => {
    env.endpoint.state.cors = false;
    try {
      await atTime(
        null,
        {},
        async (page) => {
          // The access log is down too: the endpoint is the only destination left.
          await page.route('**/_hd/e.gif?*', (route) => route.abort());
          await page.goto(env.base + '/policies/shipping/', { waitUntil: 'load' });
          const box = page.locator('section.feedback');
          const before = env.endpoint.votes.length;
          await box.getByRole('button', { name: 'Yes' }).click();
          await box.locator('[data-feedback-failed]').waitFor({ state: 'visible' });
          await nextVote(before + 1);
          assert.equal(await box.locator('[data-feedback-thanks]').isVisible(), false);
          assert.equal(await box.getByRole('button', { name: 'Yes' }).isVisible(), true, 'the buyer may try again');
        },
        /CORS|Access-Control|Failed to load resource|ERR_FAILED/,
      );
    } finally {
      env.endpoint.state.cors = true;
    }
  });

  it('is not shown without JS', async () => {
    await atTime(null, { javaScriptEnabled: false }, async (page) => {
      await page.goto(env.base + '/policies/returns/', { waitUntil: 'load' });
      assert.equal(await page.locator('section.feedback').isVisible(), false);
    });
  });
});

describe('hosting', () => {
  /** Serve a missing path the way GitHub Pages does: the root 404 page, status 404. */
  async function asGitHubPages(page, root, prefix) {
    await page.route(`${env.base}/**`, async (route) => {
      const pathname = new URL(route.request().url()).pathname;
      const rel = pathname.startsWith(prefix) ? pathname.slice(prefix.length) : null;
      const file = rel === null ? null : path.join(root, rel.endsWith('/') ? rel + 'index.html' : rel);
      try {
        return await route.fulfill({ status: 200, body: readFileSync(file), contentType: contentType(file) });
      } catch {
        return route.fulfill({ status: 404, body: readFileSync(path.join(root, '404.html')), contentType: 'text/html' });
      }
    });
  }

  for (const [root, prefix] of [['site', ''], ['underHelp', '/help']]) {
    it(`the root 404 shows the 404 page of the language in the URL (base path "${prefix}")`, async () => {
      await atTime(null, {}, async (page) => {
        await asGitHubPages(page, env[root], prefix);
        const response = await page.goto(`${env.base}${prefix}/lt/no-such-page/`, { waitUntil: 'load' });
        await page.waitForURL(`${env.base}${prefix}/lt/404.html`);
        assert.equal(await page.getAttribute('html', 'lang'), 'lt');
        assert.ok(response, 'a response');

        await page.goto(`${env.base}${prefix}/zh-Hant/policies/nope/`, { waitUntil: 'load' });
        await page.waitForURL(`${env.base}${prefix}/zh-Hant/404.html`);
        assert.equal(await page.getAttribute('html', 'lang'), 'zh-Hant');

        await page.goto(`${env.base}${prefix}/no-such-page/`, { waitUntil: 'load' });
        assert.equal(new URL(page.url()).pathname, `${prefix}/no-such-page/`, 'not a language prefix: stays');
        assert.equal(await page.getAttribute('html', 'lang'), 'en');
      }, /responded with a status of 404 .*(no-such-page|nope)\/:0\)$/);
    });
  }

  it('an alias redirect page leads to its page', async () => {
    await atTime(null, {}, async (page) => {
      await page.goto(env.base + '/returns/', { waitUntil: 'load' });
      await page.waitForURL(env.base + '/policies/returns/');
      assert.equal(await page.locator('h1').innerText(), 'Returns and refunds');
    });
  });
});

describe('accessibility with the seller UI shown', () => {
  for (const scheme of ['light', 'dark']) {
    it(`banner, contact status and feedback after a "no" have no axe violations (${scheme})`, async () => {
      await atTime('2026-12-28T10:00:00+02:00', { colorScheme: scheme }, async (page) => {
        for (const url of ['/', '/pl/policies/returns/']) {
          await page.goto(env.base + url, { waitUntil: 'load' });
          assert.equal(await page.locator('header .notice').isVisible(), true, url);
          const no = page.locator('section.feedback [data-vote="no"]');
          if (await no.count()) await no.click();
          await page.addScriptTag({ path: AXE_PATH });
          const results = await page.evaluate(() =>
            window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }),
          );
          assert.deepEqual(
            results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
            [],
            url,
          );
        }
      });
    });
  }
});
