// Deny means deny: no allow rule of any built-in persona, at any level, in settings or in a command's
// allowed-tools, lets Claude Code run a catalogued escape (shared/persona/escapes.ts) without asking,
// and every tool dp allows to run is denied editing. The catalogue itself is checked first.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bashRuleMatches, bashSpecifier } from '../../shared/persona/bash-rule.js';
import { escapesIn, programOf, ruleEscapes, shellWords } from '../../shared/persona/escape-check.js';
import { CLEARED, ESCAPES } from '../../shared/persona/escapes.js';
import { loadBuiltinPersona } from '../../shared/persona/load.js';
import { packageRoot } from '../../shared/package-root.js';
import { planPersona } from '../../shared/plan/plan.js';
import { allowedTools, frontmatter, pathRuleCovers } from './checks.js';

const personasDir = join(packageRoot(), 'personas');
const ids = readdirSync(personasDir)
  .filter((name) => existsSync(join(personasDir, name, 'persona.json')))
  .sort();

/** Every persona at every level as the generators plan it. */
const plans = ids.flatMap((id) => {
  const persona = loadBuiltinPersona(id);
  return (persona.levels ? Object.keys(persona.levels) : [undefined]).map((level) => ({ where: level ? `${id} (${level})` : id, id, level, plan: planPersona(persona, { level }) }));
});

/** Every allow rule the plans write: settings.json and each command file's allowed-tools. */
const grants = plans.flatMap(({ where, id, level, plan }) => [
  ...plan.permissions.allow.map((rule) => ({ where: `${where} settings.json`, id, level, rule })),
  ...plan.files
    .filter((file) => file.path.startsWith('.claude/skills/'))
    .flatMap((file) => allowedTools(frontmatter(file.content)!['allowed-tools']!).map((rule) => ({ where: `${where} ${file.path}`, id, level, rule }))),
]);
const bashGrants = grants.filter((grant) => bashSpecifier(grant.rule) !== null);
const findings = new Map(bashGrants.map((grant) => [grant.rule, ruleEscapes(grant.rule)]));

describe('the escape catalogue', () => {
  it.each(ESCAPES.map((escape) => [escape.sample, escape] as const))('demonstrates each entry with its sample: %s', (_sample, escape) => {
    expect(escape.why.length).toBeGreaterThan(10);
    expect(escapesIn(escape.sample)).toContain(escape);
    // A program-wide allow lets it through, and the check says so.
    expect(ruleEscapes(`Bash(${shellWords(escape.sample)[0]} *)`).map((finding) => finding.escape)).toContain(escape);
  });

  it('does not flag the commands the personas tell the assistant to run', () => {
    const safe = [
      'git diff --cached --stat -- src/app.ts',
      'git log -n 20 --oneline -- --output=/tmp/x',
      'git log --no-merges --format=%h%x09%an%x09%s --end-of-options v1.2.0..HEAD',
      'git show --stat --end-of-options --output=/tmp/x',
      'git blame -- --contents',
      'git log -c',
      'ps aux',
      'ps -eo pid,user,args',
      'scripts/analyze_process_impact.sh 1234 --action kill --yes --json',
      'scripts/analyze_process_impact.sh 1234 --action kill -- --json',
      'scripts/analyze_architecture.sh services/api --json --depth 3',
      'nvidia-smi -q -d MEMORY',
      'ruff check .',
    ];
    expect(safe.map((command) => [command, escapesIn(command).map((escape) => escape.sample)])).toEqual(safe.map((command) => [command, []]));
  });

  it('knows git diff scans for --no-index past --end-of-options, and other options stop there', () => {
    expect(escapesIn('git diff --stat --end-of-options --no-index x .env').map((escape) => escape.sample)).toEqual(['git diff --no-index /dev/null .env']);
    expect(escapesIn('git blame --conte .env -- README.md').map((escape) => escape.sample)).toEqual(['git blame --contents .env -- README.md']);
  });

  it('clears only programs it has no entry for', () => {
    const catalogued = new Set(ESCAPES.map((escape) => escape.program));
    expect(Object.keys(CLEARED).filter((program) => catalogued.has(program))).toEqual([]);
  });
});

describe('built-in allow rules', () => {
  it('are enumerated for every persona and level, settings and command files alike', () => {
    expect(new Set(plans.map((plan) => plan.where))).toEqual(new Set([...ids.filter((id) => id !== 'developer'), ...['beginner', 'l1', 'l2', 'expert'].map((level) => `developer (${level})`)]));
    expect(bashGrants.some((grant) => grant.where.includes('.claude/skills/'))).toBe(true);
  });

  it('let no catalogued escape run without a prompt', () => {
    const found = bashGrants.flatMap((grant) =>
      findings
        .get(grant.rule)!
        .filter((finding) => finding.escape.effect !== 'project')
        .map((finding) => `${grant.where}: ${grant.rule} allows \`${finding.command}\` (${finding.escape.effect}: ${finding.escape.why})`),
    );
    expect(found).toEqual([]);
  });

  it("run the project's own code only spelt exactly, at the developer levels whose workflow runs the tests", () => {
    const found = bashGrants.flatMap((grant) =>
      findings
        .get(grant.rule)!
        .filter((finding) => finding.escape.effect === 'project')
        .filter(() => grant.rule.includes('*') || grant.id !== 'developer' || grant.level === 'beginner')
        .map((finding) => `${grant.where}: ${grant.rule} (${finding.command})`),
    );
    expect(found).toEqual([]);
  });

  it('name only programs the catalogue covers or has cleared', () => {
    const known = new Set([...ESCAPES.map((escape) => escape.program), ...Object.keys(CLEARED)]);
    expect([...new Set(bashGrants.map((grant) => programOf(bashSpecifier(grant.rule)!)))].filter((program) => program === undefined || !known.has(program))).toEqual([]);
  });

  it.each([
    ['git diff --no-index /dev/null .env', 'prints .env'],
    ['git blame --contents .env -- README.md', 'prints .env'],
    ['git blame --conte .env -- README.md', 'prints .env (an abbreviation)'],
    ['pytest /tmp/evil.py', 'runs any Python file'],
    ['pytest scripts/evil.py', 'runs any Python file'],
    ['ps e', "prints the environment of the user's processes"],
  ])('do not allow `%s` (%s)', (command) => {
    expect(bashGrants.filter((grant) => bashRuleMatches(grant.rule, command)).map((grant) => `${grant.where}: ${grant.rule}`)).toEqual([]);
  });

  it.each([
    ['git diff --cached -- secrets/k'],
    ['git show --stat --end-of-options :secrets/k'],
    ['git blame -- secrets/api/token'],
    ['git add -- secrets/k'],
    ['git diff -- .env'],
    ['git blame -- config/.env.local'],
  ])('deny `%s` wherever an allow rule would let it print a file the deny rules keep from reading', (command) => {
    const open = plans.filter(({ plan }) => plan.permissions.allow.some((rule) => bashRuleMatches(rule, command)) && !plan.permissions.deny.some((rule) => bashRuleMatches(rule, command)));
    expect(open.map(({ where }) => where)).toEqual([]);
  });

  it.each([
    ['scripts/gpu_monitor.sh --cluster-config all --out /tmp/x'],
    ['scripts/gpu_monitor.mjs --out /tmp/x --cluster-config=grafana'],
    ['scripts/analyze_process_impact.sh 1234 --action kill --yes'],
  ])('ask before the data scientist runs `%s`, whatever else allows it', (command) => {
    const open = plans.filter(({ id, plan }) => id === 'data-scientist' && !plan.permissions.ask.some((rule) => bashRuleMatches(rule, command)));
    expect(open.map(({ where }) => where)).toEqual([]);
    expect(plans.some(({ id }) => id === 'data-scientist')).toBe(true);
  });

  it('deny editing the repository\'s .git (its config and hooks run code when an allowed git command runs)', () => {
    const open = plans.filter(({ plan }) => ['.git/config', '.git/hooks/pre-commit', 'sub/.git/config'].some((path) => !plan.permissions.deny.some((rule) => pathRuleCovers(rule, 'Edit', path))));
    expect(open.map(({ where }) => where)).toEqual([]);
  });

  it('deny editing every tool file they allow to run, wherever the shell runs it from', () => {
    const missing: string[] = [];
    for (const { where, plan } of plans) {
      const run = plan.permissions.allow.filter((rule) => /^Bash\(scripts\//.test(rule)).map((rule) => shellWords(bashSpecifier(rule)!)[0]!);
      const toolFiles = plan.files.map((file) => file.path).filter((path) => path.startsWith('scripts/'));
      expect(run.filter((path) => !toolFiles.includes(path)), `${where}: runs only files dp writes`).toEqual([]);
      if (run.length === 0) continue;
      // The .sh shim runs the .mjs beside it: both must stay as dp wrote them.
      for (const path of toolFiles) {
        for (const at of [path, `sub/dir/${path}`]) {
          if (!plan.permissions.deny.some((rule) => pathRuleCovers(rule, 'Edit', at))) missing.push(`${where}: ${at}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('rules as they were', () => {
  it('are caught: broad git, pytest and ps allows, the analyzer on any directory, and the earlier ones', () => {
    const before = [
      'Bash(git diff *)',
      'Bash(git blame *)',
      'Bash(git show --stat *)',
      'Bash(git add *)',
      'Bash(git commit -m *)',
      'Bash(pytest *)',
      'Bash(npm test -- *)',
      'Bash(ps *)',
      'Bash(scripts/analyze_architecture.sh *)',
      'Bash(scripts/gpu_monitor.sh --once*)',
      'Bash(nvidia-smi -q *)',
      'Bash(rocm-smi --json *)',
    ];
    const caught = before.map((rule) => [rule, ruleEscapes(rule).some((finding) => finding.escape.effect !== 'project')]);
    expect(caught).toEqual(before.map((rule) => [rule, true]));
    expect(ruleEscapes('Bash(git diff *)')[0]).toMatchObject({ command: 'git diff --no-index /dev/null .env', escape: { effect: 'read' } });
    expect(ruleEscapes('Bash(git blame *)')[0]).toMatchObject({ command: 'git blame --contents .env -- README.md' });
    expect(ruleEscapes('Bash(pytest *)').map((finding) => finding.command)).toContain('pytest x');
  });
});
