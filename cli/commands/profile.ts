// dp profile: the interactive menu, the same as `yo dp`, run through yeoman-environment directly
// (imported only here) with the generators registered by path: no `yo`, no global lookup.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../shared/package-root.js';
import { COMMON, parse } from '../args.js';
import { repoRoot } from '../repo.js';

/**
 * dist/cli/dp.js runs the bundle through vm.Script (for V8's code cache), where import() has no module loader:
 * it lends its own import under this symbol. Unbundled (tests, generators), the plain import().
 */
function importYeoman(): Promise<unknown> {
  const lent = (globalThis as Record<symbol, ((specifier: string) => Promise<unknown>) | undefined>)[Symbol.for('generator-dp.import')];
  return lent ? lent('yeoman-environment') : import('yeoman-environment');
}

export async function profileCommand(argv: string[]): Promise<number> {
  const { values } = parse('profile', argv, { ...COMMON, level: { type: 'string' }, persona: { type: 'string' } });
  const root = repoRoot(values.cwd);
  const { createEnv } = (await importYeoman()) as typeof import('yeoman-environment');
  const env = createEnv({ cwd: root, skipInstall: true });
  const generators = join(packageRoot(), 'dist', 'generators');
  for (const name of readdirSync(generators)) env.register(join(generators, name, 'index.js'), { namespace: `dp:${name}` });
  const options = Object.fromEntries(Object.entries({ level: values.level, persona: values.persona }).filter(([, v]) => v !== undefined));
  try {
    await env.run(['dp:app'], options);
  } catch {
    // The generator already printed `dp: <message>` and its hint.
    return typeof process.exitCode === 'number' && process.exitCode !== 0 ? process.exitCode : 1;
  }
  return 0;
}
