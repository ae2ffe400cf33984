// A built-in persona added as the docs say (one folder personas/<id>/ and one 7-line generator) shows up
// in every menu, help text and name lookup with no other change: the built package is copied to a
// temporary directory, given personas/qa-lead/ (a copy of pm) and its generator, and run from there.
import { execa } from 'execa';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import helpers from 'yeoman-test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onTerminal, type Ran } from '../support/cli.js';
import { read } from '../support/generators.js';
import { useTempDir } from '../support/tmp.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const newDir = useTempDir('dp-extra-persona-');
let pkg: string;

/** The built package (package.json, dist/, personas/) in a temporary directory, plus the qa-lead persona. */
function packageWithQaLead(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dp-package-'));
  for (const path of ['package.json', 'dist', 'personas']) cpSync(join(root, path), join(dir, path), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  cpSync(join(dir, 'personas/pm'), join(dir, 'personas/qa-lead'), { recursive: true });
  const persona = JSON.parse(readFileSync(join(dir, 'personas/pm/persona.json'), 'utf8'));
  writeFileSync(join(dir, 'personas/qa-lead/persona.json'), JSON.stringify({ ...persona, id: 'qa-lead', displayName: 'QA Lead', menu: 6, aliases: ['qa'] }));
  // generators/qa-lead/index.ts as the build writes it.
  mkdirSync(join(dir, 'dist/generators/qa-lead'));
  writeFileSync(
    join(dir, 'dist/generators/qa-lead/index.js'),
    `import { PersonaGenerator } from '../../shared/yeoman/persona-generator.js';\nexport default class QaLeadGenerator extends PersonaGenerator {\n  personaId = 'qa-lead';\n}\n`,
  );
  writeFileSync(join(dir, 'create.mjs'), `import { runCreate } from './dist/cli/create.js';\nprocess.exitCode = await runCreate(process.argv.slice(2));\n`);
  return dir;
}

function dp(cwd: string, args: string[]): Promise<Ran> {
  return execa('node', [join(pkg, 'dist/cli/dp.js'), ...args], { cwd, reject: false, stdin: 'ignore', env: { NO_COLOR: '1' } }) as unknown as Promise<Ran>;
}

const activeIds = (dir: string) => JSON.parse(read(dir, '.claude/persona.json')).active.map((a: { id: string }) => a.id);

describe('a persona folder added to the package', () => {
  beforeAll(() => {
    pkg = packageWithQaLead();
  });
  afterAll(() => rmSync(pkg, { recursive: true, force: true }));

  it('is in dp --help, dp profile --help and dp persona list, and answers to its alias and number', async () => {
    const dir = newDir();
    expect((await dp(dir, ['--help'])).stdout).toContain('data-scientist|ds, pm|product-manager, designer, qa-lead|qa, or your\n                               own)');
    expect((await dp(dir, ['profile', '--help'])).stdout).toContain('4) Product Manager 5) Designer 6) QA Lead, several at once, or your own.');
    expect((await dp(dir, ['persona', 'list'])).stdout).toContain('  5) designer             Designer\n  6) qa-lead              QA Lead                aliases: qa\n');
    const added = await dp(dir, ['persona', 'add', 'qa']);
    expect(added.exitCode).toBe(0);
    expect(added.stdout).toMatch(/dp: added qa-lead: \d+ created/);
    expect(read(dir, 'CLAUDE.md')).toContain('<!-- dp:begin qa-lead -->');
    const removed = await dp(dir, ['persona', 'remove', '6']);
    expect(removed.exitCode).toBe(0);
    expect(removed.stdout).toMatch(/dp: removed qa-lead/);
  });

  it('is in create-dp-project --help and its question', async () => {
    const dir = newDir();
    const help = await execa('node', [join(pkg, 'create.mjs'), '--help'], { cwd: dir, reject: false, stdin: 'ignore' });
    expect(help.stdout).toContain('                    pm (product-manager), designer, qa-lead (qa); several comma-separated');
    const result = await onTerminal(dir, ['node', join(pkg, 'create.mjs'), 'team-app', '--no-git'], 'qa\n');
    expect(result.stdout).toContain('  5) Designer (designer)\r\n  6) QA Lead (qa-lead)\r\n');
    expect(result.exitCode).toBe(0);
    expect(activeIds(join(dir, 'team-app'))).toEqual(['qa-lead']);
  });

  it('is in the yo dp menu, numbered before "Several at once", and its generator applies it', async () => {
    const dir = newDir();
    const questions: Array<{ name: string; choices: Array<{ name: string }> }> = [];
    await helpers
      .run(join(pkg, 'dist/generators/app/index.js'), { namespace: 'dp:app' })
      .cd(dir)
      .withAnswers({ persona: 'qa-lead' })
      .withAdapterOptions({
        callback: (answer: unknown, options: { question: (typeof questions)[number] }) => {
          questions.push(options.question);
          return answer;
        },
      } as never);
    const names = questions.find((q) => q.name === 'persona')!.choices.map((c) => c.name);
    expect(names.slice(4, 7)).toEqual(['5) Designer', '6) QA Lead', '7) Several at once']);
    expect(activeIds(dir)).toEqual(['qa-lead']);
  });
});
