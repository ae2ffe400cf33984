import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBlanketAllow, isBroadAllow } from '../../shared/persona/rules.js';
import { frontmatter, shadowingRule } from '../persona/checks.js';
import { hasShared } from '../support/shared-fixtures.js';
import { settingsSchemaErrors } from '../support/settings-schema.js';
import { listFiles, read, runIn, snapshot } from '../support/generators.js';
import { useTempDir } from '../support/tmp.js';

const newDir = useTempDir('dp-design-');

const COMMANDS = ['accessibility-audit', 'component-spec', 'design-system', 'mock-screen'];
const DESIGN_FILES = [
  ...COMMANDS.map((name) => `.claude/skills/${name}/SKILL.md`),
  '.claude/agents/accessibility-auditor.md',
  '.claude/persona.bases.json',
  '.claude/persona.json',
  '.claude/settings.json',
  'CLAUDE.md',
].sort();

/** WCAG 2.2 level A/AA success criteria the audit names, the ones new in 2.2 included. */
const CRITERIA = [
  '1.1.1 Non-text Content',
  '1.3.1 Info and Relationships',
  '1.4.3 Contrast (Minimum)',
  '1.4.11 Non-text Contrast',
  '2.1.1 Keyboard',
  '2.4.7 Focus Visible',
  '2.4.11 Focus Not Obscured (Minimum)',
  '2.5.7 Dragging Movements',
  '2.5.8 Target Size (Minimum)',
  '3.2.6 Consistent Help',
  '3.3.7 Redundant Entry',
  '3.3.8 Accessible Authentication (Minimum)',
  '4.1.2 Name, Role, Value',
  '4.1.3 Status Messages',
];

function json(dir: string, path: string) {
  return JSON.parse(read(dir, path));
}

function command(dir: string, name: string): string {
  return read(dir, `.claude/skills/${name}/SKILL.md`);
}

describe('yo dp:designer in an empty repository', () => {
  it('writes the four design commands, the CLAUDE.md section, settings and record', async () => {
    const dir = newDir();
    await runIn(dir, 'designer');
    expect(listFiles(dir)).toEqual(DESIGN_FILES);

    for (const name of COMMANDS) {
      const text = command(dir, name);
      expect(Object.keys(frontmatter(text)!), name).toEqual(['name', 'description', 'argument-hint', 'allowed-tools', ...(name === 'mock-screen' ? ['disable-model-invocation'] : [])]);
      expect(frontmatter(text)!['allowed-tools'], name).toBe('Read, Grep, Glob');
      expect(text, name).toContain('$ARGUMENTS');
      expect(text, name).not.toMatch(/\$\d/);
      expect(text, name).toContain('## 1. Gather the facts');
      expect(text, name).toMatch(/## \d\. Answer/);
    }

    const audit = command(dir, 'accessibility-audit');
    expect(audit).toContain('# Accessibility audit (WCAG 2.2 AA)');
    for (const criterion of CRITERIA) expect(audit).toContain(criterion);
    expect(audit).toContain('4.1.1 Parsing was removed in WCAG 2.2');
    expect(command(dir, 'mock-screen')).toContain('design/mocks/<screen-slug>.html');
    expect(command(dir, 'component-spec')).toContain('WAI-ARIA Authoring Practices');
    expect(command(dir, 'design-system')).toContain('(L1 + 0.05) / (L2 + 0.05)');

    const claude = read(dir, 'CLAUDE.md');
    expect(claude.startsWith('<!-- dp:begin designer -->\n## Designer persona\n')).toBe(true);
    expect(claude.endsWith('<!-- dp:end designer -->\n')).toBe(true);
    expect(claude).toContain('Accessibility is WCAG 2.2 AA');
    for (const name of COMMANDS) expect(claude).toContain(`- \`/${name}`);

    const settings = json(dir, '.claude/settings.json');
    expect(settings.permissions.allow).toEqual([
      'Bash(git status)',
      'Bash(git diff)',
      'Bash(git diff -- *)',
      'Bash(git log)',
      'Bash(git log -n 20 --oneline -- *)',
      'Bash(git show --stat --end-of-options *)',
      'Edit(/design/mocks/**)',
    ]);
    for (const rule of settings.permissions.allow) {
      expect(isBlanketAllow(rule) || isBroadAllow(rule), rule).toBe(false);
      expect(shadowingRule(rule, [...settings.permissions.ask, ...settings.permissions.deny]), rule).toBeUndefined();
    }
    expect(settings.permissions.ask).toEqual(expect.arrayContaining(['Bash(git push *)', 'Bash(npm install *)']));
    expect(settings.permissions.deny).toEqual(expect.arrayContaining(['Bash(sudo *)', 'Bash(git push --force*)', 'Read(./.env)', 'Read(./secrets/**)']));

    expect(json(dir, '.claude/persona.json').active).toEqual([{ id: 'designer', displayName: 'Designer' }]);
  });

  it.runIf(hasShared)('writes settings.json valid against the Claude Code settings schema', async () => {
    const dir = newDir();
    await runIn(dir, 'designer');
    expect(settingsSchemaErrors(json(dir, '.claude/settings.json'))).toEqual([]);
  });

  it('a re-run writes nothing', async () => {
    const dir = newDir();
    await runIn(dir, 'designer');
    const past = new Date(Date.now() - 60_000);
    for (const file of listFiles(dir)) utimesSync(join(dir, file), past, past);
    const before = snapshot(dir);
    await runIn(dir, 'designer');
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('yo dp:designer beside yo dp:pm', () => {
  it('keeps both: one section each, both command sets, the union of their rules', async () => {
    const dir = newDir();
    await runIn(dir, 'pm');
    await runIn(dir, 'designer');
    expect(json(dir, '.claude/persona.json').active.map((a: { id: string }) => a.id)).toEqual(['pm', 'designer']);
    const files = listFiles(dir);
    expect(files).toEqual(expect.arrayContaining(['.claude/skills/generate-prd/SKILL.md', '.claude/skills/mock-screen/SKILL.md']));
    const claude = read(dir, 'CLAUDE.md');
    expect(claude.match(/^<!-- dp:begin (pm|designer) -->$/gm)).toEqual(['<!-- dp:begin pm -->', '<!-- dp:begin designer -->']);
    const allow = json(dir, '.claude/settings.json').permissions.allow as string[];
    expect(allow).toEqual(expect.arrayContaining(['Bash(git describe --tags --abbrev=0)', 'Edit(/design/mocks/**)']));
    expect(new Set(allow).size).toBe(allow.length);
  });
});
