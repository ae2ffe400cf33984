// Another generator composes dp:data-scientist (by namespace and by resolved path) and writes its own
// CLAUDE.md and settings content in the same run: the result holds both.
import { fileURLToPath } from 'node:url';
import helpers from 'yeoman-test';
import { describe, expect, it } from 'vitest';
import { generatorPath, listFiles, read } from '../support/generators.js';
import { useTempDir } from '../support/tmp.js';

const newDir = useTempDir('dp-compose-');
const acme = fileURLToPath(new URL('../fixtures/generator-acme/generators/app/index.js', import.meta.url));

function expectBoth(dir: string) {
  const claude = read(dir, 'CLAUDE.md');
  expect(claude.startsWith('# ACME service\n\nRun `make check` before pushing.\n\n<!-- dp:begin data-scientist -->\n')).toBe(true);
  const settings = JSON.parse(read(dir, '.claude/settings.json'));
  expect(settings.acme).toEqual({ team: 'platform' });
  expect(settings.permissions.allow[0]).toBe('Bash(make check)');
  expect(settings.permissions.allow).toContain('Bash(nvidia-smi)');
  expect(settings.permissions.deny).toContain('Read(./.env)');
  expect(listFiles(dir)).toContain('scripts/gpu_monitor.mjs');
}

describe('composing generator-dp from another generator', () => {
  it('by namespace (dp:data-scientist)', async () => {
    const dir = newDir();
    await helpers
      .run(acme, { namespace: 'acme:app' })
      .cd(dir)
      .withGenerators([[generatorPath('data-scientist'), { namespace: 'dp:data-scientist' }]]);
    expectBoth(dir);
  });

  it('by the path generator-dp/generators/data-scientist resolves to', async () => {
    const dir = newDir();
    const resolved = fileURLToPath(import.meta.resolve('generator-dp/generators/data-scientist'));
    expect(resolved).toBe(generatorPath('data-scientist'));
    await helpers.run(acme, { namespace: 'acme:app' }).cd(dir).withOptions({ by: 'path', dpPath: resolved } as never);
    expectBoth(dir);
  });
});
