// Codex, Gemini CLI, GitHub Copilot and Cursor through the merge with every built-in persona: each file
// written reads as its format (the adapter's check), a re-run writes nothing, a file the user edited keeps
// the edit through an upgrade, and removing the last persona gives the repository back byte for byte.
import Ajv2020 from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adapterFor, withRequired } from '../../shared/assistants/registry.js';
import { applyPersonas } from '../../shared/merge/apply.js';
import type { ApplyResult, DesiredPersona } from '../../shared/merge/model.js';
import { loadBuiltinPersona } from '../../shared/persona/load.js';
import { builtinMenu } from '../../shared/persona/registry.js';
import { planPersona } from '../../shared/plan/plan.js';

// google-gemini/gemini-cli schemas/settings.schema.json (JSON Schema 2020-12), as of 0.56-nightly (2026-08).
const validateGeminiSettings = new Ajv2020.default({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(new URL('./gemini-settings.schema.json', import.meta.url), 'utf8')));

class Repo {
  files = new Map<string, string>();
  constructor(initial: Record<string, string>) {
    for (const [path, text] of Object.entries(initial)) this.files.set(path, text);
  }
  read = (path: string) => this.files.get(path) ?? null;
  apply(personas: DesiredPersona[], assistants: string[], version = '1.0.0'): ApplyResult {
    const result = applyPersonas(this.read, personas, { version, onConflict: 'keep', assistants });
    for (const change of result.changes) {
      if (change.content === null) this.files.delete(change.path);
      else this.files.set(change.path, change.content);
    }
    return result;
  }
  snapshot() {
    return Object.fromEntries([...this.files].filter(([path]) => path !== '.claude/persona.bases.json').sort());
  }
}

/** Every built-in persona at its last level. */
function personas(): DesiredPersona[] {
  return builtinMenu().map((entry) => {
    const persona = loadBuiltinPersona(entry.id);
    const level = persona.levels ? Object.keys(persona.levels).at(-1) : undefined;
    return planPersona(persona, level ? { level } : {});
  });
}

/** The same personas, one version later: every workflow's text changed at its end. */
function upgraded(list: DesiredPersona[]): DesiredPersona[] {
  return list.map((p) => ({ ...p, workflows: p.workflows.map((w) => ({ ...w, body: `${w.body}\nNEW IN 1.1\n` })) }));
}

const user = { 'AGENTS.md': '# Team\r\n\r\nOur rules.\r\n', 'GEMINI.md': '# Gemini notes\n', '.cursor/cli.json': '{ "permissions": { "deny": ["Shell(curl)"] } }\n' };

describe.each(['codex', 'gemini', 'copilot', 'cursor'])('%s through the merge', (id) => {
  const adapter = adapterFor(id)!;
  const assistants = withRequired(['claude', id]);

  it('writes files that read as its format; a re-run writes nothing', () => {
    const repo = new Repo(user);
    const first = repo.apply(personas(), assistants);
    const written = first.changes.map((c) => c.path).filter((p) => !p.startsWith('.claude/') && p !== 'CLAUDE.md' && !p.startsWith('scripts/'));
    expect(written.length).toBeGreaterThan(1);
    for (const path of written) expect(adapter.check?.(path, repo.read(path)!) ?? null, path).toBeNull();
    // The user's own value stays; Cursor's denies join it.
    const cli = JSON.parse(repo.read('.cursor/cli.json')!) as { permissions: { deny: string[] } };
    expect(cli.permissions.deny[0]).toBe('Shell(curl)');
    expect(cli.permissions.deny.includes('Shell(sudo)')).toBe(id === 'cursor');
    const gemini = repo.read('.gemini/settings.json');
    if (id === 'gemini') expect(validateGeminiSettings(JSON.parse(gemini!)), JSON.stringify(validateGeminiSettings.errors)).toBe(true);
    else expect(gemini).toBeNull();
    expect(first.notes.some((n) => n.includes('cannot be expressed'))).toBe(true);
    expect(repo.apply(personas(), assistants).changes).toEqual([]);
  });

  it('removing the last persona gives every byte back, after an upgrade too', () => {
    const repo = new Repo(user);
    repo.apply(personas(), assistants);
    repo.apply(upgraded(personas()), assistants, '1.1.0');
    repo.apply([], assistants, '1.1.0');
    expect(repo.snapshot()).toEqual(Object.fromEntries(Object.entries(user).sort()));
  });

  it("an edit the user made survives an upgrade, merged with the new text, and stays when the persona goes", () => {
    const repo = new Repo(user);
    repo.apply(personas(), assistants);
    const found = [...repo.files.keys()].find((p) => /^\.(agents|gemini|cursor)\/.*\.(md|toml)$/.test(p));
    // Copilot reads Claude Code's own .claude/skills: beside Claude Code it writes no workflow file of its own.
    if (id === 'copilot') return expect(found).toBeUndefined();
    const mine = found!;
    const edited = repo.read(mine)!.replace(/\n/, '\nMY OWN LINE\n');
    repo.files.set(mine, edited);
    repo.apply(upgraded(personas()), assistants, '1.1.0');
    expect(repo.read(mine)).toContain('MY OWN LINE');
    expect(repo.read(mine)).toContain('NEW IN 1.1');
    const removal = repo.apply([], assistants, '1.1.0');
    expect(repo.read(mine)).toContain('MY OWN LINE');
    expect(removal.outcomes.find((o) => o.path === mine)?.status).toBe('kept-edited');
  });
});
