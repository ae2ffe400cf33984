// The built dp, as users run it, for each of Codex CLI, Gemini CLI, GitHub Copilot and Cursor:
// `dp persona add <p> --assistants <id>` writes that assistant's files, a re-run writes nothing, an edit
// survives `dp upgrade`, and removing the persona gives the repository back byte for byte.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBuiltinPersona } from '../../shared/persona/load.js';
import { builtinMenu } from '../../shared/persona/registry.js';
import { adapterFor } from '../../shared/assistants/registry.js';
import { dp } from '../support/cli.js';
import { useTempDir } from '../support/tmp.js';

const tempDir = useTempDir('dp-assistants-');

/** A persona with skill levels, at its last level: the most workflows. */
const persona = builtinMenu().map((entry) => loadBuiltinPersona(entry.id)).find((p) => p.levels)!;
const level = Object.keys(persona.levels!).at(-1)!;

/** Every file but .git's, with its bytes and modification time. */
function snapshot(root: string): Map<string, { text: string; mtime: number }> {
  const files = new Map<string, { text: string; mtime: number }>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.git') walk(path);
      } else files.set(relative(root, path), { text: readFileSync(path, 'latin1'), mtime: statSync(path).mtimeMs });
    }
  };
  walk(root);
  return files;
}
const texts = (s: Map<string, { text: string }>) => Object.fromEntries([...s].map(([path, { text }]) => [path, text]).sort());

const user = { 'AGENTS.md': '# Team\r\n\r\nOur rules.\r\n', 'GEMINI.md': '# Gemini notes\n', '.cursor/cli.json': '{\n  "permissions": { "deny": ["Shell(curl)"] }\n}\n' };

function repository(): string {
  const repo = tempDir();
  execFileSync('git', ['init', '-q', repo]);
  for (const [path, text] of Object.entries(user)) {
    execFileSync('mkdir', ['-p', join(repo, path, '..')]);
    writeFileSync(join(repo, path), text);
  }
  return repo;
}

const own: Record<string, RegExp> = {
  codex: /^(\.agents\/skills\/[^/]+\/SKILL\.md|\.codex\/rules\/dp-[a-z-]+\.rules)$/,
  gemini: /^(\.gemini\/commands\/[^/]+\.toml|\.gemini\/settings\.json)$/,
  copilot: /^\.agents\/skills\/[^/]+\/SKILL\.md$/,
  cursor: /^\.cursor\/commands\/[^/]+\.md$/,
};

describe.each(['codex', 'gemini', 'copilot', 'cursor'])('dp persona add --assistants %s', (id) => {
  it('writes its files; a re-run writes nothing; removal gives every byte back', async () => {
    const repo = repository();
    const before = snapshot(repo);
    const added = await dp(repo, ['persona', 'add', persona.id, '--level', level, '--assistants', id]);
    expect(added.stderr).toBe('');
    expect(added.exitCode).toBe(0);
    const after = snapshot(repo);
    const mine = [...after.keys()].filter((path) => own[id]!.test(path));
    expect(mine.length).toBeGreaterThan(3);
    expect(added.stdout).toContain('cannot be expressed');
    // Each such line names the assistant once, before the persona: the adapter's text does not repeat it.
    const name = adapterFor(id)!.displayName;
    const inexpressible = added.stdout.split('\n').filter((line) => line.includes(`${name}: ${persona.id}: `));
    expect(inexpressible.length).toBeGreaterThan(0);
    for (const line of inexpressible) expect(line.slice(line.indexOf(`${persona.id}: `) + persona.id.length + 2)).not.toMatch(new RegExp(`^${name.split(' ')[0]}`));

    const again = await dp(repo, ['persona', 'add', persona.id, '--level', level]);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('nothing to do');
    expect(snapshot(repo)).toEqual(after);

    const removed = await dp(repo, ['persona', 'remove', persona.id]);
    expect(removed.exitCode).toBe(0);
    const left = texts(snapshot(repo));
    // The answers file keeps the level chosen, for Claude Code alone as well: only dp's answers in it.
    expect(JSON.parse(left['.yo-rc.json']!)).toEqual({ 'generator-dp': { personas: { [persona.id]: { level } } } });
    delete left['.yo-rc.json'];
    expect(left).toEqual(texts(before));
  });

  it('a file the user edited is kept through dp upgrade and left when the persona goes', async () => {
    const repo = repository();
    await dp(repo, ['persona', 'add', persona.id, '--level', level, '--assistants', id]);
    const path = [...snapshot(repo).keys()].find((p) => own[id]!.test(p) && !p.endsWith('.json'))!;
    const edited = `${readFileSync(join(repo, path), 'utf8')}\nMY OWN NOTE\n`;
    writeFileSync(join(repo, path), edited);
    const upgraded = await dp(repo, ['upgrade']);
    expect(upgraded.exitCode).toBe(0);
    expect(readFileSync(join(repo, path), 'utf8')).toBe(edited);
    const removed = await dp(repo, ['persona', 'remove', persona.id]);
    expect(removed.exitCode).toBe(0);
    expect(readFileSync(join(repo, path), 'utf8')).toBe(edited);
  });
});

describe('dp doctor', () => {
  it("names a Gemini command and a skill broken by hand, once each, with the assistant that may not load it", async () => {
    const repo = repository();
    await dp(repo, ['persona', 'add', persona.id, '--level', level, '--assistants', 'gemini,codex']);
    const files = [...snapshot(repo).keys()];
    const toml = files.find((p) => p.startsWith('.gemini/commands/'))!;
    const skill = files.find((p) => p.endsWith('/SKILL.md'))!;
    writeFileSync(join(repo, toml), 'prompt = """never closed\n');
    writeFileSync(join(repo, skill), 'no frontmatter any more\n');
    const doctor = await dp(repo, ['doctor']);
    expect(doctor.exitCode).not.toBe(0);
    expect(doctor.stdout).toContain(`problem  ${toml}: not TOML: `);
    expect(doctor.stdout).toContain('(Gemini CLI may not load it)');
    expect(doctor.stdout).toContain(`problem  ${skill}: no frontmatter: a skill starts with --- and its name and description (Codex CLI may not load it)`);
  });
});
