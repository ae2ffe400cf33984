// Access to ../shared (recorded nvidia-smi outputs, the Claude Code settings schema).
// CI always has it; elsewhere tests that need it are skipped with a visible notice, never passed silently.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const sharedDir = fileURLToPath(new URL('../../../shared', import.meta.url));
export const hasShared = existsSync(join(sharedDir, 'fixtures'));

if (!hasShared) {
  process.stderr.write(`NOTICE: ${sharedDir} is missing: tests on recorded nvidia-smi outputs and the settings schema are skipped\n`);
}

/** A recorded output with its `#@ ` provenance lines removed (fixtures/nvidia-smi/README.md). */
export function readSmiFixture(name: string): string {
  const text = readFileSync(join(sharedDir, 'fixtures', 'nvidia-smi', name), 'utf8');
  const lines = text.split('\n');
  let start = 0;
  while (start < lines.length && lines[start]!.startsWith('#@ ')) start += 1;
  return lines.slice(start).join('\n');
}

export function settingsSchemaPath(): string {
  return join(sharedDir, 'schemas', 'claude-code-settings.schema.json');
}
