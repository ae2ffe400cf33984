// Which assistants a repository already uses, by their files (CLAUDE.md, AGENTS.md, .gemini/, ...): the
// menus offer every assistant with these pre-selected.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ADAPTERS } from './registry.js';

export function detectedAssistants(root: string): string[] {
  return ADAPTERS.filter((a) => a.detect.some((path) => existsSync(join(root, path)))).map((a) => a.id);
}
