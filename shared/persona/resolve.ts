// Find a persona by id: built-in first, then the repository's own (profiles/personas/<id>.json).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DpError } from '../errors.js';
import { isAvailable } from './registry.js';
import { loadBuiltinPersona, resolveBuiltinId } from './load.js';
import type { Persona } from './schema.js';

export function loadPersona(name: string, _repoRoot: string): Persona {
  const id = resolveBuiltinId(name);
  if (!isAvailable(id)) throw new DpError(`unknown persona "${name}"`);
  return loadBuiltinPersona(id);
}

export function customPersonaFile(repoRoot: string, id: string): string | null {
  const file = join(repoRoot, 'profiles', 'personas', `${id}.json`);
  return existsSync(file) ? file : null;
}
