import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sectionBody } from '../../shared/merge/sections.js';
import { isBlanketAllow, isBroadAllow } from '../../shared/persona/rules.js';
import { frontmatter, shadowingRule } from '../persona/checks.js';
import { hasShared } from '../support/shared-fixtures.js';
import { settingsSchemaErrors } from '../support/settings-schema.js';
import { listFiles, read, runIn, snapshot } from '../support/generators.js';
import { useTempDir } from '../support/tmp.js';

const newDir = useTempDir('dp-dev-');

const LEVELS = ['beginner', 'l1', 'l2', 'expert'] as const;
type Level = (typeof LEVELS)[number];

const COMMANDS: Record<Level, string[]> = {
  beginner: ['dev-explain', 'dev-fix-bug', 'dev-undo-safely'],
  l1: ['dev-add-tests', 'dev-fix-bug', 'dev-precommit'],
  l2: ['dev-add-tests', 'dev-fix-bug', 'dev-migration-plan', 'dev-perf-investigate', 'dev-precommit'],
  expert: ['dev-add-tests', 'dev-design-review', 'dev-fix-bug', 'dev-migration-plan', 'dev-perf-investigate', 'dev-precommit'],
};

const HEADINGS: Record<Level, string> = { beginner: 'Beginner', l1: 'L1', l2: 'L2', expert: 'Expert' };

/** A sentence of each level's guidance that no other level has. */
const GUIDANCE: Record<Level, string[]> = {
  beginner: ['Explain every step before you take it', 'Fixing a bug: reproduce it with a test first', 'Safety checks before destructive operations'],
  l1: ['Comes with tests', "Passes the project's linter and type checker", 'Basic security checks'],
  l2: ['Performance: measure, change one thing, measure again', 'Migrations (schema, data, framework or dependency upgrades)'],
  expert: ['Be terse', 'Architecture-level decisions', 'The deny rules stay'],
};

/** Denied at every level: secrets, sudo, force-push, rm -rf of / and ~. */
const DENY = [
  'Bash(sudo *)',
  'Bash(git push --force*)',
  'Bash(git push -f*)',
  'Bash(git push * --force*)',
  'Bash(git push * -f*)',
  'Bash(rm -rf /)',
  'Bash(rm -rf /*)',
  'Bash(rm -rf ~)',
  'Read(./.env)',
  'Read(./.env.*)',
  'Read(./secrets/**)',
  'Edit(./.env)',
  'Edit(./secrets/**)',
];

const INSTALLS = ['Bash(npm install)', 'Bash(npm install *)', 'Bash(pnpm add *)', 'Bash(yarn add *)', 'Bash(pip install *)'];

const COMMON_FILES = ['.claude/agents/diff-reviewer.md', '.claude/persona.bases.json', '.claude/persona.json', '.claude/settings.json', '.yo-rc.json', 'CLAUDE.md'];

function json(dir: string, path: string) {
  return JSON.parse(read(dir, path));
}

function filesOf(level: Level): string[] {
  // The beginner's guard hook asks before history rewrites.
  return [...COMMON_FILES, ...(level === 'beginner' ? ['.claude/hooks/git-guard.mjs'] : []), ...COMMANDS[level].map((name) => `.claude/skills/${name}/SKILL.md`)].sort();
}

type Permissions = { allow: string[]; ask: string[]; deny: string[] };

async function applied(level: Level): Promise<{ dir: string; permissions: Permissions }> {
  const dir = newDir();
  await runIn(dir, 'developer', { options: { level } });
  return { dir, permissions: json(dir, '.claude/settings.json').permissions };
}

describe.each(LEVELS)('yo dp:developer --level %s in an empty repository', (level) => {
  it("writes that level's commands, CLAUDE.md guidance, settings and record", async () => {
    const { dir, permissions } = await applied(level);
    expect(listFiles(dir)).toEqual(filesOf(level));

    for (const name of COMMANDS[level]) {
      const text = read(dir, `.claude/skills/${name}/SKILL.md`);
      const fields = frontmatter(text)!;
      const userOnly = ['dev-fix-bug', 'dev-add-tests', 'dev-undo-safely', 'dev-perf-investigate'].includes(name);
      expect(Object.keys(fields)).toEqual(['name', 'description', 'argument-hint', 'allowed-tools', ...(userOnly ? ['disable-model-invocation'] : [])]);
      expect(fields.name).toBe(name);
      expect(text).toContain('$ARGUMENTS');
      expect(text).not.toMatch(/\$\d/);
    }

    const claude = read(dir, 'CLAUDE.md');
    expect(claude.startsWith(`<!-- dp:begin developer -->\n## Software Developer persona (level: ${HEADINGS[level]})\n`)).toBe(true);
    expect(claude.endsWith('<!-- dp:end developer -->\n')).toBe(true);
    for (const text of GUIDANCE[level]) expect(claude).toContain(text);
    for (const other of LEVELS.filter((l) => l !== level)) for (const text of GUIDANCE[other]) expect(claude).not.toContain(text);
    for (const name of COMMANDS[level]) expect(claude).toContain(`- \`/${name} `);

    expect(permissions.deny).toEqual(expect.arrayContaining(DENY));
    for (const rule of permissions.allow) {
      expect(isBlanketAllow(rule) || isBroadAllow(rule), rule).toBe(false);
      expect(shadowingRule(rule, [...permissions.ask, ...permissions.deny]), `${rule} would never apply`).toBeUndefined();
    }
    expect(read(dir, '.claude/settings.json')).not.toMatch(/bypassPermissions|defaultMode/);

    const record = json(dir, '.claude/persona.json');
    expect(record.active).toEqual([{ id: 'developer', displayName: 'Software Developer', level }]);
    expect(read(dir, '.yo-rc.json')).toContain(`"level": "${level}"`);
  });

  it.runIf(hasShared)('writes settings.json valid against the Claude Code settings schema', async () => {
    const { dir } = await applied(level);
    expect(settingsSchemaErrors(json(dir, '.claude/settings.json'))).toEqual([]);
  });
});

describe('yo dp:developer guardrails per level', () => {
  it('beginner asks before git push, rm -r and package installs, and denies sudo', async () => {
    const { permissions } = await applied('beginner');
    expect(permissions.ask).toEqual(expect.arrayContaining(['Bash(git push)', 'Bash(git push *)', 'Bash(rm *)', 'Bash(rm -r *)', 'Bash(rm -rf *)', ...INSTALLS]));
    expect(permissions.ask).toEqual(expect.arrayContaining(['Bash(git commit *)', 'Bash(git restore *)', 'Bash(npm ci)']));
    expect(permissions.deny).toContain('Bash(sudo *)');
    expect(permissions.allow).toEqual(expect.arrayContaining(['Bash(git status)', 'Bash(git diff -- *)', 'Bash(git log -n 20 --oneline -- *)', 'Bash(git show --stat --end-of-options *)']));
    expect(permissions.allow).not.toContain('Bash(git diff *)');
    expect(permissions.allow).not.toContain('Bash(npm test)');
  });

  it('L1 allows tests, linters and the audit, and still asks before push, rm -r and installs', async () => {
    const { permissions } = await applied('l1');
    expect(permissions.allow).toEqual(expect.arrayContaining(['Bash(npm test)', 'Bash(npm run lint)', 'Bash(npm audit)', 'Bash(pytest)', 'Bash(git status)']));
    expect(permissions.ask).toEqual(expect.arrayContaining(['Bash(git push *)', 'Bash(rm -r *)', 'Bash(rm -rf *)', ...INSTALLS]));
    expect(permissions.ask).not.toContain('Bash(git commit *)');
  });

  it('L2 allows builds and benchmarks, and asks before npm ci, test runs given a path and applying migrations', async () => {
    const { permissions } = await applied('l2');
    expect(permissions.allow).toEqual(expect.arrayContaining(['Bash(npm run build)', 'Bash(npm run bench)', 'Bash(pytest)', 'Bash(git add -- *)']));
    expect(permissions.allow).not.toEqual(expect.arrayContaining(['Bash(pytest *)']));
    expect(permissions.allow.filter((rule) => /npm ci|npm test -- |git add \*/.test(rule))).toEqual([]);
    expect(permissions.ask).toEqual(expect.arrayContaining(['Bash(npm ci)', 'Bash(alembic upgrade *)', 'Bash(npx prisma migrate *)', 'Bash(rm -r *)']));
  });

  it('expert widens allows narrowly and keeps every deny rule of every level', async () => {
    const byLevel = {} as Record<Level, Permissions>;
    // One after the other: yeoman-test changes the working directory of the process.
    for (const level of LEVELS) byLevel[level] = (await applied(level)).permissions;
    const expert = byLevel.expert;
    expect(expert.allow).toEqual(expect.arrayContaining(['Bash(git fetch)', 'Bash(git diff main...HEAD)', 'Bash(rm -rf node_modules)', 'Bash(npm test)']));
    // A commit runs hooks and takes any option after its message: it asks, like every level.
    expect(expert.allow.filter((rule) => rule.startsWith('Bash(git commit') || rule.startsWith('Bash(git switch'))).toEqual([]);
    expect(expert.ask).toEqual(expect.arrayContaining(['Bash(git push)', 'Bash(git push *)', ...INSTALLS]));
    expect(expert.ask).not.toContain('Bash(rm -r *)');
    // The beginner also denies edits of its guard hook's script.
    for (const level of LEVELS) expect([...byLevel[level].deny].filter((rule) => rule !== 'Edit(**/.claude/hooks/**)').sort(), level).toEqual([...expert.deny].sort());
    expect(byLevel.beginner.deny).toContain('Edit(**/.claude/hooks/**)');
    // Graduation: each level allows at least what the level below allows.
    for (let i = 1; i < LEVELS.length; i += 1) {
      expect(byLevel[LEVELS[i]!].allow, `${LEVELS[i]} keeps ${LEVELS[i - 1]}'s allows`).toEqual(expect.arrayContaining(byLevel[LEVELS[i - 1]!].allow));
    }
  });
});

describe('yo dp:developer level question', () => {
  it('offers the levels in order, beginner first, and applies the one chosen', async () => {
    const dir = newDir();
    const questions: Array<{ name: string; choices: Array<{ value: string; name: string }> }> = [];
    await runIn(dir, 'developer', { answers: { level: 'l2' } }).withAdapterOptions({
      callback: (answer: unknown, options: { question: (typeof questions)[number] }) => {
        questions.push(options.question);
        return answer;
      },
    } as never);
    const question = questions.find((q) => q.name === 'level')!;
    expect(question.choices.map((c) => c.value)).toEqual(['beginner', 'l1', 'l2', 'expert']);
    expect(question.choices.map((c) => c.name.split(':')[0])).toEqual(['Beginner', 'L1', 'L2', 'Expert']);
    expect(listFiles(dir)).toEqual(filesOf('l2'));
  });

  it('does not ask again on a re-run: the stored level is used and nothing is written', async () => {
    const { dir } = await applied('l1');
    const past = new Date(Date.now() - 60_000);
    for (const file of listFiles(dir)) utimesSync(join(dir, file), past, past);
    const before = snapshot(dir);
    const result = await runIn(dir, 'developer');
    expect(result.askedQuestions).toEqual([]);
    expect(snapshot(dir)).toEqual(before);
  });

  it('refuses an unknown level with the list of levels, writing nothing', async () => {
    const dir = newDir();
    const error = (await runIn(dir, 'developer', { options: { level: 'guru' } }).then(
      () => null,
      (e: unknown) => e,
    )) as { message: string; hint?: string } | null;
    expect(error?.message).toBe('unknown level "guru" for Software Developer');
    expect(error?.hint).toBe('choose one of: beginner, l1, l2, expert');
    expect(snapshot(dir)).toEqual({});
  });

  it('refuses an unknown level in a repository where a level is applied, changing nothing', async () => {
    const { dir } = await applied('beginner');
    const before = snapshot(dir);
    await expect(runIn(dir, 'developer', { options: { level: 'l3' } })).rejects.toThrow('unknown level "l3" for Software Developer');
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('yo dp (the menu) with the developer persona', () => {
  it('passes --level through: yo dp --persona 1 --level l1', async () => {
    const dir = newDir();
    const result = await runIn(dir, 'app', { options: { persona: '1', level: 'l1' } });
    expect(result.askedQuestions).toEqual([]);
    expect(listFiles(dir)).toEqual(filesOf('l1'));
    expect(json(dir, '.claude/persona.json').active).toEqual([{ id: 'developer', displayName: 'Software Developer', level: 'l1' }]);
  });
});

describe('developer levels accumulate from L1 up', () => {
  it("each level from L1 keeps the level below's commands and adds its own; beginner's guided ones give way at L1", async () => {
    const [, ...tested] = LEVELS;
    for (let i = 1; i < tested.length; i += 1) {
      const below = COMMANDS[tested[i - 1]!];
      expect(COMMANDS[tested[i]!], tested[i]).toEqual(expect.arrayContaining(below));
    }
    // What the persona folder says is what was tested above.
    const persona = JSON.parse(read(join(import.meta.dirname, '../../personas/developer'), 'persona.json'));
    for (const level of LEVELS) expect([...persona.workflows, ...persona.levels[level].workflows].sort(), level).toEqual(COMMANDS[level]);
  });

  it('graduating L1 -> L2 only adds commands: /dev-add-tests stays', async () => {
    const dir = newDir();
    await runIn(dir, 'developer', { options: { level: 'l1' } });
    const before = snapshot(dir);
    const result = await runIn(dir, 'developer', { options: { level: 'l2' } });
    const outcomes = (result.generator as unknown as { outcomes: Array<{ path: string; status: string }> }).outcomes;
    expect(outcomes.filter((o) => o.status === 'removed')).toEqual([]);
    for (const name of COMMANDS.l1) expect(read(dir, `.claude/skills/${name}/SKILL.md`)).toBe(before[`.claude/skills/${name}/SKILL.md`]!.content);
  });
});

describe('yo dp:developer level change on a re-run', () => {
  const userClaude = '# Our team\n\nWe deploy on Fridays. Never.\n';
  const userRules = { allow: ['Bash(make test)'], ask: ['Bash(docker compose up *)'], deny: ['Bash(curl *)'] };

  it('replaces exactly the previous level: commands, section text and settings entries; keeps the user', async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'CLAUDE.md'), userClaude);
    mkdirSync(join(dir, '.claude'));
    writeFileSync(join(dir, '.claude/settings.json'), `${JSON.stringify({ permissions: userRules, model: 'opus' }, null, 2)}\n`);
    await runIn(dir, 'developer', { options: { level: 'beginner' } });
    expect(listFiles(dir)).toContain('.claude/skills/dev-explain/SKILL.md');

    await runIn(dir, 'developer', { options: { level: 'expert' } });

    // What a fresh expert run writes, for comparison.
    const fresh = await applied('expert');
    expect(listFiles(dir)).toEqual(filesOf('expert'));
    for (const name of COMMANDS.expert) {
      const path = `.claude/skills/${name}/SKILL.md`;
      expect(read(dir, path), path).toBe(read(fresh.dir, path));
    }

    const claude = read(dir, 'CLAUDE.md');
    expect(claude.startsWith(userClaude)).toBe(true);
    expect(sectionBody(claude, 'developer', 'CLAUDE.md')).toBe(sectionBody(read(fresh.dir, 'CLAUDE.md'), 'developer', 'CLAUDE.md'));
    expect(claude).not.toContain('level: Beginner');
    expect(claude.match(/dp:begin developer/g)).toHaveLength(1);

    const settings = json(dir, '.claude/settings.json');
    expect(settings.model).toBe('opus');
    for (const list of ['allow', 'ask', 'deny'] as const) {
      const expected = [...new Set([...userRules[list], ...fresh.permissions[list]])].sort();
      expect([...settings.permissions[list]].sort(), list).toEqual(expected);
      expect(settings.permissions[list].slice(0, userRules[list].length), `${list}: the user's rules stay first`).toEqual(userRules[list]);
    }
    expect(settings.permissions.ask).not.toContain('Bash(rm *)');
    expect(settings.permissions.ask).not.toContain('Bash(git commit *)');

    expect(json(dir, '.claude/persona.json').active).toEqual([{ id: 'developer', displayName: 'Software Developer', level: 'expert' }]);
    expect(read(dir, '.yo-rc.json')).toContain('"level": "expert"');
    if (hasShared) expect(settingsSchemaErrors(settings)).toEqual([]);
  });

  it("keeps a command of the old level that the user edited, and reports it", async () => {
    const dir = newDir();
    await runIn(dir, 'developer', { options: { level: 'beginner' } });
    const explain = '.claude/skills/dev-explain/SKILL.md';
    const edited = `${read(dir, explain)}\nAlso draw a diagram.\n`;
    writeFileSync(join(dir, explain), edited);
    const result = await runIn(dir, 'developer', { options: { level: 'l1' } });
    expect(read(dir, explain)).toBe(edited);
    expect(listFiles(dir)).toEqual([...filesOf('l1'), explain].sort());
    const outcomes = (result.generator as unknown as { outcomes: Array<{ path: string; status: string }> }).outcomes;
    expect(outcomes).toContainEqual(expect.objectContaining({ path: explain, status: 'kept-edited' }));
    expect(outcomes).toContainEqual(expect.objectContaining({ path: '.claude/skills/dev-undo-safely/SKILL.md', status: 'removed' }));
  });

  it('going back down (expert, then beginner) restores the beginner guardrails', async () => {
    const dir = newDir();
    await runIn(dir, 'developer', { options: { level: 'expert' } });
    await runIn(dir, 'developer', { options: { level: 'beginner' } });
    const fresh = await applied('beginner');
    expect(snapshot(dir)['CLAUDE.md']!.content).toBe(read(fresh.dir, 'CLAUDE.md'));
    expect(json(dir, '.claude/settings.json')).toEqual(json(fresh.dir, '.claude/settings.json'));
    expect(listFiles(dir)).toEqual(filesOf('beginner'));
  });
});
