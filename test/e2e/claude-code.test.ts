// The real Claude Code client (the pinned dev dependency) loads what dp writes. Offline and without a login
// (HOME is a private temp dir, the network blocked through a dead proxy), `claude -p x --debug-file F` starts,
// reads the project, logs what it loaded and stops without a model to ask. One start per scenario proves from
// Claude Code's own log, with the counts dp wrote, that:
// - every allow, ask and deny rule was applied (Claude Code drops a whole settings file it cannot read, hooks
//   included, without a word: then no rule is added at all);
// - every skill was loaded (`Loaded N unique skills (... project: N, ... legacy commands: C)`);
// - every subagent is known (`--agent <absent name>` lists the agents it loaded);
// and `claude plugin validate --strict` accepts the plugin marketplace the build writes, and each plugin.
// Facts: ../shared/research/claude-code-surfaces.md §6.
import { execa } from 'execa';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { dp } from '../support/cli.js';
import { read } from '../support/generators.js';
import { useTempDir } from '../support/tmp.js';

const ABSENT_AGENT = 'dp-no-such-agent';
const newDir = useTempDir('dp-claude-');
const home = mkdtempSync(join(tmpdir(), 'dp-claude-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** The platform binary the package's install step put in place, or why there is none to run. */
function claudeBinary(): { path: string } | { why: string } {
  let pkg: string;
  try {
    pkg = createRequire(import.meta.url).resolve('@anthropic-ai/claude-code/package.json');
  } catch {
    return { why: '@anthropic-ai/claude-code is not installed (npm ci installs it as a dev dependency)' };
  }
  const path = join(dirname(pkg), 'bin', 'claude.exe');
  // Before its install step runs, bin/claude.exe is a stub of a few hundred bytes.
  if (!existsSync(path) || statSync(path).size < 1_000_000) return { why: `${path} is the stub: the package's install step did not fetch the platform binary (optional dependencies off, or an unsupported platform)` };
  return { path };
}

const binary = claudeBinary();
const why = 'why' in binary ? binary.why : null;

interface Loaded {
  log: string;
  output: string;
}

/** One start of Claude Code in `dir`, trusted (allow rules apply only then), offline, without a login. */
async function startClaude(dir: string): Promise<Loaded> {
  const log = join(home, `${Date.now()}-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(join(home, '.claude.json'), JSON.stringify({ projects: { [dir]: { hasTrustDialogAccepted: true } } }));
  const ran = await execa((binary as { path: string }).path, ['-p', 'x', '--agent', ABSENT_AGENT, '--debug-file', log], {
    cwd: dir,
    reject: false,
    stdin: 'ignore',
    timeout: 60_000,
    env: { HOME: home, HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', DISABLE_AUTOUPDATER: '1', PATH: process.env.PATH ?? '' },
    extendEnv: false,
  });
  return { log: existsSync(log) ? readFileSync(log, 'utf8') : '', output: `${ran.stdout}\n${ran.stderr}` };
}

/** What dp wrote, from the files and the record: rules per list, hooks, skills, agents, legacy commands. */
function written(dir: string) {
  const settings = JSON.parse(read(dir, '.claude/settings.json'));
  const record = JSON.parse(read(dir, '.claude/persona.json'));
  const files = Object.keys(record.managed.files);
  const hooks = Object.values((settings.hooks ?? {}) as Record<string, Array<{ hooks: unknown[] }>>).flat().flatMap((entry) => entry.hooks);
  return {
    rules: { allow: settings.permissions.allow.length, ask: settings.permissions.ask.length, deny: settings.permissions.deny.length },
    hooks: hooks.length,
    skills: files.filter((path) => /^\.claude\/skills\/[^/]+\/SKILL\.md$/.test(path)).length,
    agents: files.filter((path) => path.startsWith('.claude/agents/')).map((path) => path.slice('.claude/agents/'.length, -'.md'.length)),
  };
}

function expectRulesApplied(log: string, rules: Record<'allow' | 'ask' | 'deny', number>): void {
  for (const [list, count] of Object.entries(rules)) {
    expect(log, `${list} rules`).toContain(`Adding ${count} ${list} rule(s) to destination 'projectSettings'`);
  }
}

function loadedAgents(output: string): string[] {
  const line = new RegExp(`--agent '${ABSENT_AGENT}' not found\\. Available agents: (.*)`).exec(output);
  expect(line, output).not.toBeNull();
  return line![1]!.split(', ').map((name) => name.trim());
}

describe.skipIf(why !== null)(`Claude Code ${why === null ? '' : `(skipped: ${why}) `}loads what dp writes`, () => {
  it('every persona applied: all rules, hooks kept valid, every skill and every subagent, no legacy command', async () => {
    const dir = newDir();
    const added = await dp(dir, ['persona', 'add', 'developer', 'software-architect', 'data-scientist', 'pm', 'designer', '--level', 'beginner']);
    expect(added.exitCode, added.stderr).toBe(0);
    const dpWrote = written(dir);
    expect(dpWrote.skills).toBeGreaterThanOrEqual(17);
    expect(dpWrote.agents).toHaveLength(5);
    // The guard hooks are part of the settings file whose rules must all come through.
    expect(dpWrote.hooks).toBeGreaterThan(0);

    const { log, output } = await startClaude(dir);
    expect(log).toContain(`project=[${dir}/.claude/skills]`);
    expectRulesApplied(log, dpWrote.rules);
    expect(log).toContain(`Loaded ${dpWrote.skills} unique skills (${dpWrote.skills} unconditional, 0 conditional, managed: 0, user: 0, project: ${dpWrote.skills}, additional: 0, legacy commands: 0)`);
    expect(loadedAgents(output)).toEqual(expect.arrayContaining(dpWrote.agents));
  });

  it('an upgraded legacy installation: the skills, and the one edited legacy command still loaded beside them', async () => {
    const dir = newDir();
    cpSync(new URL('../fixtures/legacy-commands-install', import.meta.url).pathname, dir, { recursive: true });
    writeFileSync(join(dir, '.claude/commands/dev/dev-explain.md'), `${read(dir, '.claude/commands/dev/dev-explain.md')}\nOur own step.\n`);
    const upgraded = await dp(dir, ['upgrade']);
    expect(upgraded.exitCode, upgraded.stderr).toBe(0);
    const dpWrote = written(dir);
    expect(dpWrote.skills).toBe(11);

    const { log, output } = await startClaude(dir);
    expectRulesApplied(log, dpWrote.rules);
    // 11 skills and the kept command: 12 unique names, because the command loads as /dev:dev-explain.
    expect(log).toContain(`Loaded 12 unique skills (12 unconditional, 0 conditional, managed: 0, user: 0, project: 11, additional: 0, legacy commands: 1)`);
    expect(loadedAgents(output)).toEqual(expect.arrayContaining(dpWrote.agents));
  });

  it('claude plugin validate --strict accepts the marketplace in dist/claude-plugins and every plugin in it', async () => {
    const marketplace = fileURLToPath(new URL('../../dist/claude-plugins', import.meta.url));
    const plugins = (JSON.parse(readFileSync(join(marketplace, '.claude-plugin/marketplace.json'), 'utf8')) as { plugins: Array<{ source: string }> }).plugins;
    expect(plugins.length).toBeGreaterThanOrEqual(5);
    for (const target of [marketplace, ...plugins.map((plugin) => join(marketplace, plugin.source))]) {
      const ran = await execa((binary as { path: string }).path, ['plugin', 'validate', '--strict', target], { reject: false, stdin: 'ignore', timeout: 60_000, env: { HOME: home, PATH: process.env.PATH ?? '' }, extendEnv: false });
      expect(ran.exitCode, `${target}: ${ran.stdout}${ran.stderr}`).toBe(0);
      expect(ran.stdout, target).toContain('Validation passed');
    }
  });
});
