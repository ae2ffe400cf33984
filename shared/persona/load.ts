// Loading and validating persona definitions: built-in (personas/<id>/persona.json) and the user's own
// (profiles/personas/<id>.json in their repository). Errors name the file and the field path.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { z } from 'zod';
import { DpError } from '../errors.js';
import { packageRoot } from '../package-root.js';
import { checkedAtBuild } from './prevalidated.js';
import { formatIssuePath, issueMessage, fromBuiltin, fromSeed, personaSchemas, type BuiltinPersonaData, type Persona } from './schema.js';

export function readText(file: string, shownAs: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new DpError(`${shownAs} cannot be read`);
  }
}

export function parseJson(text: string, shownAs: string): unknown {
  try {
    // Editors on Windows save UTF-8 with a byte order mark; JSON.parse would reject it.
    return JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (error) {
    throw new DpError(`${shownAs} is not valid JSON (${(error as Error).message})`, 'fix the file and run again');
  }
}

export function readJsonFile(file: string, shownAs: string): unknown {
  return parseJson(readText(file, shownAs), shownAs);
}

export function validationError(shownAs: string, error: z.ZodError): DpError {
  const issue = error.issues[0]!;
  const path = formatIssuePath(issue.path);
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  return new DpError(`${shownAs}: ${path ? `${path}: ` : ''}${issueMessage(issue)}${more}`, 'fix the persona definition and run again');
}

/** Parsed data in the built-in format, validated; `shownAs` names the file in errors. */
export function validateBuiltin(data: unknown, shownAs: string): BuiltinPersonaData {
  const parsed = personaSchemas().builtinPersona.safeParse(data);
  if (!parsed.success) throw validationError(shownAs, parsed.error);
  return parsed.data;
}

/** Validate parsed persona data in either format; `shownAs` names the file in errors. */
export function parsePersona(data: unknown, origin: Persona['origin'], shownAs: string): Persona {
  const isSeed = typeof data === 'object' && data !== null && 'persona' in data && !('id' in data);
  if (isSeed) {
    const parsed = personaSchemas().seedPersona.safeParse(data);
    if (!parsed.success) throw validationError(shownAs, parsed.error);
    return fromSeed(parsed.data, origin);
  }
  return fromBuiltin(validateBuiltin(data, shownAs), origin);
}

export function loadBuiltinPersona(id: string): Persona {
  const dir = join(packageRoot(), 'personas', id);
  const file = join(dir, 'persona.json');
  const shownAs = relative(packageRoot(), file);
  const origin = { kind: 'builtin' as const, dir, file };
  const text = readText(file, shownAs);
  const checked = checkedAtBuild(text);
  const persona = checked ? fromBuiltin(checked.persona, origin) : parsePersona(parseJson(text, shownAs), origin, shownAs);
  if (persona.id !== id) throw new DpError(`${shownAs}: id: must be "${id}" (the folder name), got "${persona.id}"`);
  return persona;
}
