import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read, runIn, snapshot } from '../support/generators.js';
import { useTempDir } from '../support/tmp.js';

const newDir = useTempDir('dp-remove-');

function write(dir: string, path: string, content: string) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
}

const userClaude = '# Ours\n\nKeep this.\n';
const userSettings = { permissions: { allow: ['Bash(npm test)', 'Bash(ps *)'], deny: ['Bash(curl *)'] }, env: { MINE: '1' }, custom: true };
const seed = { persona: 'reviewer', display_name: 'Reviewer', permissions: { allow: ['Bash(ps *)', 'Bash(make lint)'], block: ['Read(./.env)'] } };

/** A repository with the user's own CLAUDE.md and settings, data-scientist and a custom persona applied. */
async function twoPersonas() {
  const dir = newDir();
  write(dir, 'CLAUDE.md', userClaude);
  write(dir, '.claude/settings.json', JSON.stringify(userSettings, null, 2));
  write(dir, 'profiles/personas/reviewer.json', JSON.stringify(seed));
  await runIn(dir, 'data-scientist');
  await runIn(dir, 'persona', { args: ['reviewer'] });
  return dir;
}

describe('several personas at once', () => {
  it('keeps the first when a second is applied: union of permissions, one section each', async () => {
    const dir = await twoPersonas();
    const record = JSON.parse(read(dir, '.claude/persona.json'));
    expect(record.active.map((a: { id: string }) => a.id)).toEqual(['data-scientist', 'reviewer']);
    const claude = read(dir, 'CLAUDE.md');
    expect(claude.startsWith(userClaude)).toBe(true);
    expect(claude.match(/<!-- dp:begin /g)).toHaveLength(2);
    const settings = JSON.parse(read(dir, '.claude/settings.json'));
    expect(settings.permissions.allow).toEqual(expect.arrayContaining(['Bash(npm test)', 'Bash(nvidia-smi)', 'Bash(make lint)']));
    expect(settings.permissions.deny).toEqual([
      'Bash(curl *)',
      'Bash(git *secrets/*)',
      'Bash(git *.env)',
      'Bash(git *.env.*)',
      'Edit(**/.git/**)',
      'Bash(sudo *)',
      'Read(./.env)',
      'Read(./.env.*)',
      'Read(./secrets/**)',
      'Edit(./secrets/**)',
      'Read(**/.env)',
      'Read(**/.env.*)',
      'Read(**/secrets/**)',
      'Edit(**/.env)',
      'Edit(**/.env.*)',
      'Edit(**/secrets/**)',
      'Edit(**/scripts/gpu_monitor.mjs)',
      'Edit(**/scripts/gpu_monitor.sh)',
      'Edit(**/scripts/analyze_process_impact.mjs)',
      'Edit(**/scripts/analyze_process_impact.sh)',
      'Edit(**/scripts/parallel_optimizer.mjs)',
      'Edit(**/scripts/parallel_optimizer.sh)',
      'Edit(**/.claude/hooks/**)',
    ]);
    expect(existsSync(join(dir, 'scripts/gpu_monitor.mjs'))).toBe(true);
  });
});

describe('yo dp:remove', () => {
  it('takes back exactly what a persona added, keeping files the user edited and what others still need', async () => {
    const dir = await twoPersonas();
    write(dir, 'scripts/gpu_monitor.sh', `${read(dir, 'scripts/gpu_monitor.sh')}# my tweak\n`);

    const result = await runIn(dir, 'remove', { args: ['data-scientist'] });

    expect(existsSync(join(dir, 'scripts/gpu_monitor.mjs'))).toBe(false);
    expect(existsSync(join(dir, '.claude/skills/gpu-optimize/SKILL.md'))).toBe(false);
    expect(read(dir, 'scripts/gpu_monitor.sh')).toContain('# my tweak');
    const outcomes = (result.generator as unknown as { outcomes: Array<{ path: string; status: string }> }).outcomes;
    expect(outcomes).toContainEqual(expect.objectContaining({ path: 'scripts/gpu_monitor.sh', status: 'kept-edited' }));

    const claude = read(dir, 'CLAUDE.md');
    expect(claude.startsWith(userClaude)).toBe(true);
    expect(claude).not.toContain('dp:begin data-scientist');
    expect(claude).toContain('dp:begin reviewer');

    const settings = JSON.parse(read(dir, '.claude/settings.json'));
    // The user's rules stay (Bash(ps *) was theirs before any persona); Read(./.env) is still wanted by reviewer.
    expect(settings.permissions).toEqual({ allow: ['Bash(npm test)', 'Bash(ps *)', 'Bash(make lint)'], deny: ['Bash(curl *)', 'Read(./.env)'] });
    expect(settings.env).toEqual({ MINE: '1' });
    expect(settings.custom).toBe(true);
    expect(JSON.parse(read(dir, '.claude/persona.json')).active.map((a: { id: string }) => a.id)).toEqual(['reviewer']);
  });

  it('removing the last persona leaves exactly what the user had', async () => {
    const dir = await twoPersonas();
    await runIn(dir, 'remove', { args: ['data-scientist', 'reviewer'] });
    expect(read(dir, 'CLAUDE.md')).toBe(userClaude);
    expect(JSON.parse(read(dir, '.claude/settings.json'))).toEqual(userSettings);
    expect(existsSync(join(dir, '.claude/persona.json'))).toBe(false);
    expect(existsSync(join(dir, 'scripts/gpu_monitor.mjs'))).toBe(false);
  });

  it('refuses a persona that is not active, naming the active ones, and writes nothing', async () => {
    const dir = await twoPersonas();
    const before = snapshot(dir);
    await expect(runIn(dir, 'remove', { args: ['designer'] })).rejects.toThrow('designer is not active here');
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('yo dp:switch', () => {
  it('leaves only the chosen persona active', async () => {
    const dir = await twoPersonas();
    await runIn(dir, 'switch', { args: ['reviewer'] });
    expect(JSON.parse(read(dir, '.claude/persona.json')).active.map((a: { id: string }) => a.id)).toEqual(['reviewer']);
    expect(existsSync(join(dir, 'scripts/gpu_monitor.mjs'))).toBe(false);
    expect(read(dir, 'CLAUDE.md')).not.toContain('dp:begin data-scientist');
  });
});
