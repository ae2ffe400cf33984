// Loading and validating persona definitions: built-in (personas/<id>/persona.json) and the user's own
// (profiles/personas/<id>.json in their repository). Errors name the file and the field path.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { z } from 'zod';
import { DpError } from '../errors.js';
import { packageRoot } from '../package-root.js';
import { builtinPersonaSchema, formatIssuePath, issueMessage, fromBuiltin, fromSeed, seedPersonaSchema, type Persona } from './schema.js';

export function readJsonFile(file: string, shownAs: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new DpError(`${shownAs} cannot be read`);
  }
  try {
    // Editors on Windows save UTF-8 with a byte order mark; JSON.parse would reject it.
    return JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (error) {
    throw new DpError(`${shownAs} is not valid JSON (${(error as Error).message})`, 'fix the file and run again');
  }
}

export function validationError(shownAs: string, error: z.ZodError): DpError {
  const issue = error.issues[0]!;
  const path = formatIssuePath(issue.path);
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  return new DpError(`${shownAs}: ${path ? `${path}: ` : ''}${issueMessage(issue)}${more}`, 'fix the persona definition and run again');
}

/** Validate parsed persona data in either format; `shownAs` names the file in errors. */
export function parsePersona(data: unknown, origin: Persona['origin'], shownAs: string): Persona {
  const isSeed = typeof data === 'object' && data !== null && 'persona' in data && !('id' in data);
  if (isSeed) {
    const parsed = seedPersonaSchema.safeParse(data);
    if (!parsed.success) throw validationError(shownAs, parsed.error);
    return fromSeed(parsed.data, origin);
  }
  const parsed = builtinPersonaSchema.safeParse(data);
  if (!parsed.success) throw validationError(shownAs, parsed.error);
  return fromBuiltin(parsed.data, origin);
}

export function loadBuiltinPersona(id: string): Persona {
  const dir = join(packageRoot(), 'personas', id);
  const file = join(dir, 'persona.json');
  const shownAs = relative(packageRoot(), file);
  const persona = parsePersona(readJsonFile(file, shownAs), { kind: 'builtin', dir, file }, shownAs);
  if (persona.id !== id) throw new DpError(`${shownAs}: id: must be "${id}" (the folder name), got "${persona.id}"`);
  return persona;
}
