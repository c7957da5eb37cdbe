// Accessibility: every page kind in every language, light + dark, desktop +
// phone, must have zero axe-core violations and no console/page errors.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, allPages, VIEWPORTS, AXE_PATH, collectErrors } from './helpers.mjs';

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

for (const { lang, kind, url } of allPages()) {
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
