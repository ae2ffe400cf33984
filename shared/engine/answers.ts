// Answers (the developer's level, ...) live in .yo-rc.json under generator-dp.personas.<id>, where
// Yeoman keeps a generator's configuration, so yo and dp re-runs find them and do not ask again.
import { DpError } from '../errors.js';
import type { Change, Reader } from '../merge/model.js';
import type { PersonaRecord } from '../merge/record.js';
import type { Persona } from '../persona/schema.js';
import { resolveLevel } from '../persona/levels.js';
import type { PersonaRequest } from './plan-active.js';

const YO_RC = '.yo-rc.json';
const KEY = 'generator-dp';

type YoRc = Record<string, unknown> & { [KEY]?: { personas?: Record<string, { level?: string }> } };

function readYoRc(read: Reader): YoRc {
  const text = read(YO_RC);
  if (text === null) return {};
  try {
    const data = JSON.parse(text) as unknown;
    if (typeof data === 'object' && data !== null && !Array.isArray(data)) return data as YoRc;
  } catch {
    // reported below
  }
  throw new DpError(`${YO_RC} is not a JSON object`, `fix or delete ${YO_RC} (it only holds answers), then run again`);
}

function storedLevel(read: Reader, id: string): string | undefined {
  const level: unknown = readYoRc(read)[KEY]?.personas?.[id]?.level;
  if (level === undefined || typeof level === 'string') return level;
  throw new DpError(`${YO_RC}: ${KEY}.personas.${id}.level must be a string, got ${JSON.stringify(level)}`, `fix it (e.g. "l1") or pass --level`, 2);
}

/** The .yo-rc.json change that records these answers, or null when they are already there. */
export function answersChange(read: Reader, requests: PersonaRequest[]): Change | null {
  const yoRc = readYoRc(read);
  const personas = { ...(yoRc[KEY]?.personas ?? {}) };
  let changed = false;
  // Only personas that asked something have answers to keep.
  for (const request of requests) {
    if (!request.level || personas[request.id]?.level === request.level) continue;
    personas[request.id] = { ...personas[request.id], level: request.level };
    changed = true;
  }
  if (!changed) return null;
  const next = { ...yoRc, [KEY]: { ...(yoRc[KEY] ?? {}), personas } };
  return { path: YO_RC, content: `${JSON.stringify(next, null, 2)}\n` };
}

/** The level already known for a persona with levels: the option, else the stored answer, else the record (checked). */
export function knownLevel(read: Reader, record: PersonaRecord | null, persona: Persona, given: string | undefined): string | undefined {
  if (!persona.levels) return undefined;
  const known = given ?? storedLevel(read, persona.id) ?? record?.active.find((a) => a.id === persona.id)?.level;
  return known === undefined ? undefined : resolveLevel(persona, known);
}
