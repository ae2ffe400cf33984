import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBlanketAllow, isBroadAllow } from '../../shared/persona/rules.js';
import { frontmatter, shadowingRule } from '../persona/checks.js';
import { hasShared } from '../support/shared-fixtures.js';
import { settingsSchemaErrors } from '../support/settings-schema.js';
import { listFiles, read, runIn, snapshot } from '../support/generators.js';
import { useTempDir } from '../support/tmp.js';

const newDir = useTempDir('dp-pm-');

const COMMANDS = ['acceptance-criteria', 'generate-prd', 'generate-release-notes', 'user-stories'];
const PM_FILES = [
  ...COMMANDS.map((name) => `.claude/skills/${name}/SKILL.md`),
  '.claude/agents/acceptance-checker.md',
  '.claude/persona.bases.json',
  '.claude/persona.json',
  '.claude/settings.json',
  'CLAUDE.md',
].sort();

function json(dir: string, path: string) {
  return JSON.parse(read(dir, path));
}

function command(dir: string, name: string): string {
  return read(dir, `.claude/skills/${name}/SKILL.md`);
}

describe('yo dp:pm in an empty repository', () => {
  it('writes the four product commands, the CLAUDE.md section, settings and record', async () => {
    const dir = newDir();
    const result = await runIn(dir, 'pm', { options: { level: 'expert' } });
    expect(result.askedQuestions).toEqual([]);
    expect(listFiles(dir)).toEqual(PM_FILES);

    for (const name of COMMANDS) {
      const text = command(dir, name);
      expect(Object.keys(frontmatter(text)!), name).toEqual(['name', 'description', 'argument-hint', 'allowed-tools']);
      expect(text, name).toContain('$ARGUMENTS');
      expect(text, name).not.toMatch(/\$\d/);
      expect(text, name).toMatch(/## \d\. Gather the facts|## 1\. Find the range/);
      expect(text, name).toMatch(/## \d\. Answer/);
    }
    expect(command(dir, 'acceptance-criteria')).toMatch(/Given\/When\/Then/);
    expect(command(dir, 'acceptance-criteria')).toContain('Scenario Outline:');

    const notes = command(dir, 'generate-release-notes');
    expect(frontmatter(notes)!['allowed-tools']).toBe(
      'Bash(git describe --tags --abbrev=0), Bash(git tag --list), Bash(git log --no-merges --format=%h%x09%an%x09%s), Bash(git log --no-merges --format=%h%x09%an%x09%s --end-of-options *), Bash(git log --merges --format=%h%x09%s), Bash(git log --merges --format=%h%x09%s --end-of-options *), Bash(git log -n 1 --format=%B --end-of-options *), Bash(git show --stat --end-of-options *), Read, Grep',
    );
    expect(notes).toContain('git describe --tags --abbrev=0');
    // The range comes after --end-of-options: the spelling the allowed-tools let run without a prompt.
    expect(notes).toContain('git log --no-merges --format=%h%x09%an%x09%s --end-of-options <tag>..HEAD');
    expect(notes).toMatch(/there are no tags yet: use the\s+whole history/);
    // A failing !`command` would abort the whole slash command: the assistant runs git itself.
    expect(notes).not.toMatch(/(^|\s)!`/m);

    const claude = read(dir, 'CLAUDE.md');
    expect(claude.startsWith('<!-- dp:begin pm -->\n## Product Manager persona\n')).toBe(true);
    expect(claude.endsWith('<!-- dp:end pm -->\n')).toBe(true);
    expect(claude).toContain('Keep facts, assumptions and open questions apart');
    for (const name of COMMANDS) expect(claude).toContain(`- \`/${name}`);

    const settings = json(dir, '.claude/settings.json');
    expect(settings.permissions.allow).toEqual(expect.arrayContaining(['Bash(git log -n 20 --oneline -- *)', 'Bash(git describe --tags --abbrev=0)', 'Bash(git status)']));
    for (const rule of settings.permissions.allow) {
      expect(rule, 'only read-only git').toMatch(/^Bash\(git (status|log|show --stat|describe --tags|tag --list|shortlog -sn)\b/);
      expect(isBlanketAllow(rule) || isBroadAllow(rule), rule).toBe(false);
      expect(shadowingRule(rule, [...settings.permissions.ask, ...settings.permissions.deny]), rule).toBeUndefined();
    }
    expect(settings.permissions.ask).toEqual(['Bash(git push)', 'Bash(git push *)', 'Bash(git * --output*)']);
    expect(settings.permissions.deny).toEqual(expect.arrayContaining(['Bash(sudo *)', 'Bash(git push --force*)', 'Read(./.env)', 'Read(./.env.*)', 'Read(./secrets/**)']));
    expect(settings.env).toBeUndefined();

    expect(json(dir, '.claude/persona.json').active).toEqual([{ id: 'pm', displayName: 'Product Manager' }]);
  });

  it.runIf(hasShared)('writes settings.json valid against the Claude Code settings schema', async () => {
    const dir = newDir();
    await runIn(dir, 'pm');
    expect(settingsSchemaErrors(json(dir, '.claude/settings.json'))).toEqual([]);
  });

  it("keeps the user's CLAUDE.md text and rules, and a re-run writes nothing", async () => {
    const dir = newDir();
    writeFileSync(join(dir, 'CLAUDE.md'), '# Roadmap notes\n');
    mkdirSync(join(dir, '.claude'));
    writeFileSync(join(dir, '.claude/settings.json'), JSON.stringify({ permissions: { allow: ['Bash(git status)', 'WebFetch(domain:linear.app)'] } }));
    await runIn(dir, 'pm');
    const claude = read(dir, 'CLAUDE.md');
    expect(claude.startsWith('# Roadmap notes\n')).toBe(true);
    expect(claude.match(/^<!-- dp:begin pm -->$/gm)).toHaveLength(1);
    const allow = json(dir, '.claude/settings.json').permissions.allow as string[];
    expect(allow.slice(0, 2)).toEqual(['Bash(git status)', 'WebFetch(domain:linear.app)']);
    expect(allow.filter((rule) => rule === 'Bash(git status)')).toHaveLength(1);

    const past = new Date(Date.now() - 60_000);
    for (const file of listFiles(dir)) utimesSync(join(dir, file), past, past);
    const before = snapshot(dir);
    await runIn(dir, 'pm');
    expect(snapshot(dir)).toEqual(before);
  });
});
