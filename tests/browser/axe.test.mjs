// Accessibility: every page kind in every language, light + dark, desktop +
// phone, must have zero axe-core violations and no console/page errors.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { setup, allPages, FALLBACK_PAGES, VIEWPORTS, AXE_PATH, REPO_ROOT, collectErrors } from './helpers.mjs';

// What a seller sees, kept for a human look: CI keeps this folder as an artefact.
const SCREENSHOTS = path.join(REPO_ROOT, 'target', 'screenshots');
const SHOWN = ['home', 'policy', 'product', 'fallback policy', 'fallback article'];

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const SCHEMES = ['light', 'dark'];

function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => {
          const summary = (n.failureSummary || '').replace(/\s+/g, ' ').trim();
          return `      - ${JSON.stringify(n.target)}\n        ${n.html.slice(0, 200)}\n        ${summary}`;
        })
        .join('\n');
      return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

let env;
before(async () => {
  env = await setup();
});
after(async () => {
  await env?.close();
});

for (const { lang, kind, url } of [...allPages(), ...FALLBACK_PAGES]) {
  describe(`${kind} ${url}`, { concurrency: 2 }, () => {
    for (const scheme of SCHEMES) {
      for (const [vpName, viewport] of Object.entries(VIEWPORTS)) {
        it(`has no axe violations or console errors (${scheme}, ${vpName})`, async (t) => {
          const context = await env.browser.newContext({ viewport, colorScheme: scheme, locale: lang });
          try {
            const page = await context.newPage();
            const errors = collectErrors(page);
            await page.emulateMedia({ colorScheme: scheme });
            const response = await page.goto(env.base + url, { waitUntil: 'load' });
            assert.ok(response, `no response for ${url}`);
            assert.equal(response.status(), 200, `${url} answered HTTP ${response.status()}`);
            assert.equal(
              await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches),
              scheme === 'dark',
              `colour scheme emulation (${scheme}) not applied`,
            );
            if (kind.startsWith('fallback')) {
              const notice = page.locator('main .fallback-notice[role=note]');
              assert.equal(await notice.count(), 1, `${url}: the fallback notice is inside main`);
              assert.equal(await notice.getAttribute('lang'), lang, 'in the visitor\'s language');
            }
            if (SHOWN.includes(kind) && (lang === 'en' || kind.startsWith('fallback'))) {
              const name = `${lang}-${kind.replace(' ', '-')}-${scheme}-${vpName}.png`;
              await page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage: true });
            }
            await page.addScriptTag({ path: AXE_PATH });
            const results = await page.evaluate(
              (tags) => window.axe.run(document, { runOnly: tags }),
              AXE_TAGS,
            );
            // "Incomplete" = axe could not decide (needs a human look); shown, not failed.
            for (const inc of results.incomplete) {
              t.diagnostic(`axe needs review: ${inc.id} (${inc.nodes.length}) ${inc.nodes.map((n) => JSON.stringify(n.target)).join(' ')}`);
            }
            const problems = [];
            if (results.violations.length) {
              problems.push(
                `${results.violations.length} axe violation(s) on ${url} (${lang}, ${scheme}, ${vpName} ${viewport.width}x${viewport.height}):\n` +
                  formatViolations(results.violations),
              );
            }
            if (errors.length) {
              problems.push(`console/page errors on ${url} (${scheme}, ${vpName}):\n  ${errors.join('\n  ')}`);
            }
            assert.ok(problems.length === 0, problems.join('\n'));
          } finally {
            await context.close();
          }
        });
      }
    }
  });
}
