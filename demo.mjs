// `npm run demo`: apply the data-scientist persona to a new demo repository, ./demo-repo.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEnv } from 'yeoman-environment';

const target = resolve(process.argv[2] ?? 'demo-repo');
if (existsSync(target) && readdirSync(target).length > 0) {
  console.error(`demo: ${target} is not empty; remove it or pass another directory: npm run demo -- <dir>`);
  process.exit(2);
}
mkdirSync(target, { recursive: true });
writeFileSync(resolve(target, 'CLAUDE.md'), '# Demo repository\n\nNotes of the team, kept as they are.\n');
const env = createEnv({ cwd: target, skipInstall: true });
env.register(fileURLToPath(new URL('dist/generators/data-scientist/index.js', import.meta.url)), { namespace: 'dp:data-scientist' });
await env.run(['dp:data-scientist'], { onConflict: 'keep' });
console.log(`\nThe data-scientist persona is applied in ${target}. Try: ${target}/scripts/gpu_monitor.sh --once`);
