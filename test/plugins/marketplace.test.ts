// The plugin marketplace the build writes (dist/claude-plugins/): one plugin per persona (per level where
// the persona has levels) holding exactly the skills, subagents and guard hooks dp writes into a repository,
// and nothing a plugin cannot carry (permissions, env: Claude Code ignores them there).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadBuiltinPersona } from '../../shared/persona/load.js';
import { builtinMenu } from '../../shared/persona/registry.js';
import { planPersona } from '../../shared/plan/plan.js';

const root = fileURLToPath(new URL('../../dist/claude-plugins', import.meta.url));
const marketplace = JSON.parse(readFileSync(join(root, '.claude-plugin/marketplace.json'), 'utf8'));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]));
}

const expected = builtinMenu().flatMap((entry) => {
  const persona = loadBuiltinPersona(entry.id);
  const levels: Array<string | undefined> = persona.levels ? Object.keys(persona.levels) : [undefined];
  return levels.map((level) => ({ name: level ? `${entry.id}-${level}` : entry.id, plan: planPersona(persona, level ? { level } : {}) }));
});

describe('the Claude Code plugin marketplace in dist/claude-plugins', () => {
  it('lists one plugin per persona and level, each in its own folder with a manifest of the same name and version', () => {
    expect(marketplace.name).toBe('generator-dp');
    expect(marketplace.plugins.map((p: { name: string }) => p.name)).toEqual(expected.map((e) => e.name));
    const version = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')).version;
    for (const plugin of marketplace.plugins) {
      const manifest = JSON.parse(readFileSync(join(root, plugin.source, '.claude-plugin/plugin.json'), 'utf8'));
      expect(manifest, plugin.name).toMatchObject({ name: plugin.name, version, description: plugin.description });
      expect(plugin.version).toBe(version);
      expect(Object.keys(manifest)).not.toContain('permissions');
      expect(Object.keys(manifest)).not.toContain('env');
    }
  });

  it('each plugin holds byte for byte the skills, subagents and hook scripts dp writes, and its hooks run the plugin\'s own copies', () => {
    for (const { name, plan } of expected) {
      const dir = join(root, name);
      const files = filesUnder(dir).map((path) => relative(dir, path)).sort();
      const fromRepo = (prefix: string, to: string) => plan.files.filter((f) => f.path.startsWith(prefix)).map((f) => ({ path: to + f.path.slice(prefix.length), content: f.content }));
      const wanted = [...fromRepo('.claude/skills/', 'skills/'), ...fromRepo('.claude/agents/', 'agents/'), ...fromRepo('.claude/hooks/', 'hooks/')];
      expect(files, name).toEqual(['.claude-plugin/plugin.json', ...wanted.map((f) => f.path), ...(plan.hooks.length > 0 ? ['hooks/hooks.json'] : [])].sort());
      for (const file of wanted) expect(readFileSync(join(dir, file.path), 'utf8'), `${name}/${file.path}`).toBe(file.content);
      if (plan.hooks.length === 0) continue;
      const hooks = JSON.parse(readFileSync(join(dir, 'hooks/hooks.json'), 'utf8')).hooks as Record<string, Array<{ matcher?: string; hooks: Array<{ command: string }> }>>;
      const commands = Object.values(hooks).flat().flatMap((entry) => entry.hooks.map((hook) => hook.command));
      expect(commands.length, name).toBe(plan.hooks.length);
      for (const command of commands) {
        const script = /^node "\$\{CLAUDE_PLUGIN_ROOT\}"\/hooks\/([a-z-]+\.mjs)$/.exec(command);
        expect(script, command).not.toBeNull();
        expect(existsSync(join(dir, 'hooks', script![1]!)), command).toBe(true);
      }
    }
  });
});
