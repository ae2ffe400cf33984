// The assistant framework through the pure merge: what each target writes, the AGENTS.md section written
// once for every assistant that reads it, exact removal, no-op re-runs, size warnings and refusals.
import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../shared/assistants/registry.js';
import { INSTRUCTION_FILES } from '../../shared/assistants/instruction-files.js';
import { planAssistants } from '../../shared/assistants/plan.js';
import { applyPersonas } from '../../shared/merge/apply.js';
import { emptyRecord } from '../../shared/merge/record.js';
import type { ApplyResult, DesiredPersona } from '../../shared/merge/model.js';

function persona(id: string, section = `## ${id}\n\nWork carefully.\n`): DesiredPersona {
  return {
    id,
    displayName: id.toUpperCase(),
    files: [{ path: `.claude/skills/${id}-go/SKILL.md`, content: 'go\n', executable: false }, { path: `scripts/${id}.mjs`, content: 'tool\n', executable: true }],
    section,
    permissions: { allow: ['Bash(npm test)'], ask: [], deny: ['Read(./.env)'] },
    env: {},
    hooks: [],
    workflows: [],
    agents: [],
    commands: [`.claude/skills/${id}-go/SKILL.md`],
    tools: [`scripts/${id}.mjs`],
  };
}

class Repo {
  files = new Map<string, string>();
  constructor(initial: Record<string, string> = {}) {
    for (const [path, text] of Object.entries(initial)) this.files.set(path, text);
  }
  read = (path: string) => this.files.get(path) ?? null;
  apply(personas: DesiredPersona[], assistants: string[], extra: Partial<Parameters<typeof applyPersonas>[2]> = {}): ApplyResult {
    const result = applyPersonas(this.read, personas, { version: '1.0.0', onConflict: 'keep', assistants, ...extra });
    for (const change of result.changes) {
      if (change.content === null) this.files.delete(change.path);
      else this.files.set(change.path, change.content);
    }
    return result;
  }
  /** The files, less the bases file (it keeps the previous record's bases one run more, by design). */
  snapshot() {
    return Object.fromEntries([...this.files].filter(([path]) => path !== '.claude/persona.bases.json').sort());
  }
}

describe('targets', () => {
  it('Claude Code and AGENTS.md: the section once, in AGENTS.md; CLAUDE.md imports it', () => {
    const repo = new Repo({ 'AGENTS.md': '# Team\n' });
    const result = repo.apply([persona('pm')], ['claude', 'agents']);
    expect(repo.read('AGENTS.md')).toBe('# Team\n\n<!-- dp:begin pm -->\n## pm\n\nWork carefully.\n<!-- dp:end pm -->\n');
    expect(repo.read('CLAUDE.md')).toBe('<!-- dp:begin import-AGENTS.md -->\n@AGENTS.md\n<!-- dp:end import-AGENTS.md -->\n');
    expect(repo.read('.claude/skills/pm-go/SKILL.md')).toBe('go\n');
    expect(JSON.parse(repo.read('.claude/persona.json')!).assistants).toEqual(['claude', 'agents']);
    expect(result.notes.some((n) => n.startsWith('AGENTS.md: pm: its 2 permission rules cannot be expressed in AGENTS.md'))).toBe(true);

    const again = repo.apply([persona('pm')], ['claude', 'agents']);
    expect(again.changes).toEqual([]);
    expect(again.notes.filter((n) => n.includes('cannot be expressed'))).toEqual([]);
  });

  it('AGENTS.md alone: no Claude Code file at all besides the record; the tools stay', () => {
    const repo = new Repo();
    repo.apply([persona('pm')], ['agents']);
    expect([...repo.files.keys()].sort()).toEqual(['.claude/persona.bases.json', '.claude/persona.json', 'AGENTS.md', 'scripts/pm.mjs']);
  });

  it('adding then removing AGENTS.md, and then the last persona, gives every byte back', () => {
    const user = { 'AGENTS.md': '# Team\r\nno final newline', 'CLAUDE.md': '# Ours\n' };
    const repo = new Repo(user);
    repo.apply([persona('pm'), persona('dev')], ['claude']);
    const claudeOnly = repo.snapshot();
    repo.apply([persona('pm'), persona('dev')], ['claude', 'agents']);
    expect(repo.read('AGENTS.md')).toContain('<!-- dp:begin dev -->\r\n## dev\r\n');
    expect(repo.read('CLAUDE.md')).toBe('# Ours\n\n<!-- dp:begin import-AGENTS.md -->\n@AGENTS.md\n<!-- dp:end import-AGENTS.md -->\n');
    repo.apply([persona('pm'), persona('dev')], ['claude']);
    expect(repo.snapshot()).toEqual(claudeOnly);
    repo.apply([], ['claude']);
    expect(repo.snapshot()).toEqual(user);
  });

  it('warns when AGENTS.md grows past what Codex reads', () => {
    const repo = new Repo();
    const big = `## big\n\n${'x'.repeat(40_000)}\n`;
    const result = repo.apply([persona('pm', big)], ['agents']);
    expect(result.notes.find((n) => n.startsWith('AGENTS.md is '))).toMatch(/^AGENTS\.md is 40\d{3} bytes, over 32768: Codex reads only the first 32 KiB/);
  });

  it('a record naming an assistant this dp does not know is refused', async () => {
    const { recordedTargets } = await import('../../shared/assistants/plan.js');
    expect(() => recordedTargets({ ...emptyRecord('1.0.0'), assistants: ['claude', 'windsurf'] })).toThrow('names the assistant "windsurf", which this generator-dp');
  });
});

describe('every adapter', () => {
  const personas = [persona('pm'), persona('dev')];
  const ids = ADAPTERS.map((a) => a.id);
  const combinations = ids.flatMap((_, i) => ids.slice(i).map((_, j) => ids.slice(i, i + j + 1)));

  it.each(combinations.map((c) => [c.join(',')]))('%s: sections only in instruction files, and no assistant loads a persona twice', (list) => {
    const targets = list.split(',');
    const plan = planAssistants(new Repo({ 'AGENTS.md': '# Team\n' }).read, personas, targets, emptyRecord('1.0.0'));
    for (const section of plan.sections) expect(INSTRUCTION_FILES).toContain(section.file);
    for (const adapter of ADAPTERS) {
      const reads = adapter.reads(new Set(targets));
      for (const p of personas) expect(plan.sections.filter((s) => s.id === p.id && reads.includes(s.file)).length, `${adapter.id} reads ${p.id}`).toBeLessThanOrEqual(1);
    }
  });
});
