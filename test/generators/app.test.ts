import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFiles, read, runIn, snapshot } from '../support/generators.js';
import { useTempDir } from '../support/tmp.js';

const newDir = useTempDir('dp-app-');

describe('yo dp (the menu)', () => {
  it('lists the personas numbered as users know them', async () => {
    const dir = newDir();
    let questions: Array<{ name: string; choices: Array<{ name: string }> }> = [];
    await runIn(dir, 'app', { answers: { persona: 'data-scientist' } }).withAdapterOptions({
      callback: (_answer: unknown, options: { question: (typeof questions)[number] }) => {
        questions.push(options.question);
        return _answer;
      },
    } as never);
    const menu = questions.find((q) => q.name === 'persona')!;
    const names = menu.choices.map((c) => c.name);
    expect(names.slice(0, 5)).toEqual(['1) Software Developer', '2) Software Architect', '3) Data Scientist', '4) Product Manager', '5) Designer']);
    expect(names[5]).toBe('6) Several at once');
    expect(names[6]).toMatch(/^7\) Custom/);
    expect(read(dir, 'CLAUDE.md')).toContain('<!-- dp:begin data-scientist -->');
  });

  it('applies the persona chosen in the menu (3 = Data Scientist)', async () => {
    const dir = newDir();
    await runIn(dir, 'app', { answers: { persona: 'data-scientist' } });
    expect(listFiles(dir)).toContain('scripts/gpu_monitor.mjs');
    expect(JSON.parse(read(dir, '.claude/persona.json')).active.map((a: { id: string }) => a.id)).toEqual(['data-scientist']);
  });

  it.each([['data-scientist'], ['3'], ['ds']])('takes --persona %s without asking', async (persona) => {
    const dir = newDir();
    const result = await runIn(dir, 'app', { options: { persona } });
    expect(result.askedQuestions).toEqual([]);
    expect(listFiles(dir)).toContain('.claude/skills/gpu-optimize/SKILL.md');
  });

  it('refuses an unknown persona with the list of known ones, writing nothing', async () => {
    const dir = newDir();
    await expect(runIn(dir, 'app', { options: { persona: 'astronaut' } })).rejects.toThrow('unknown persona "astronaut"');
    expect(snapshot(dir)).toEqual({});
  });
});

describe('yo dp -> custom', () => {
  it('offers the personas defined in profiles/personas and applies the chosen one', async () => {
    const dir = newDir();
    mkdirSync(join(dir, 'profiles/personas'), { recursive: true });
    writeFileSync(join(dir, 'profiles/personas/qa.json'), JSON.stringify({ persona: 'qa', display_name: 'QA', permissions: { allow: ['Bash(make e2e)'] } }));
    await runIn(dir, 'app', { answers: { persona: 'custom', custom: 'qa' } });
    expect(JSON.parse(read(dir, '.claude/persona.json')).active).toEqual([{ id: 'qa', displayName: 'QA', custom: true }]);
  });

  it('says how to define one when there is none', async () => {
    const dir = newDir();
    await expect(runIn(dir, 'app', { answers: { persona: 'custom' } })).rejects.toThrow('no personas of your own in profiles/personas/');
  });
});
