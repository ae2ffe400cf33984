// .claude/settings.json is edited in place, not re-serialised: only the entries dp manages
// (permissions.allow/ask/deny rules, env keys, hook groups per event, statusLine, and those containers
// themselves, see settings-merge.ts and settings-hooks.ts)
// are compared and edited, one member at a time; everything else keeps its exact source text (number
// literals JSON.parse would round, escapes, indentation, line endings, key order) by construction.
// Inserting and later removing an entry gives back the same bytes (json-edit.ts), so `add` then
// `remove` returns the user's file as it was.
import { insertMember, nodeAt, removeMember, replaceValue, valueOf, type JSONPath } from './json-edit.js';
import { DpError } from '../errors.js';
import { SETTINGS_PATH, parseSettings, serializeSettings, type Settings } from './settings-file.js';

type JsonObject = Record<string, unknown>;

/** The top-level keys dp writes, and under `permissions` the lists it writes. */
const MANAGED_KEYS = ['permissions', 'env', 'hooks', 'statusLine'];
const RULE_LISTS = ['allow', 'ask', 'deny'];

/** The text of `text` edited so that dp's entries are those of `target`; a new file (null) is written whole. */
export function editSettingsText(text: string | null, target: Settings): string {
  if (text === null) return serializeSettings(target);
  return syncObject(text, [], MANAGED_KEYS, target, (current, key, value) => {
    switch (key) {
      case 'permissions':
        return syncObject(current, ['permissions'], RULE_LISTS, value as JsonObject, (inner, list, rules) => syncArray(inner, ['permissions', list], rules as unknown[]));
      case 'hooks':
        return syncObject(current, ['hooks'], null, value as JsonObject, (inner, event, groups) => syncArray(inner, ['hooks', event], groups as unknown[]));
      case 'statusLine':
        return syncValue(current, ['statusLine'], value);
      default:
        return syncObject(current, ['env'], null, value as JsonObject, (inner, name, wanted) => syncValue(inner, ['env', name], wanted));
    }
  });
}

/** Replace the value at `path` only when it differs from `wanted`. */
function syncValue(text: string, path: JSONPath, wanted: unknown): string {
  return JSON.stringify(valueOf(nodeAt(text, path)!)) === JSON.stringify(wanted) ? text : replaceValue(text, path, wanted);
}

/**
 * Make the object at `path` hold `target`'s `keys` (all keys when null): keys missing from `target` are
 * removed, new ones appended in `target`'s order (as a JavaScript object appends them), and keys on
 * both sides are synced by `inner`.
 */
function syncObject(text: string, path: JSONPath, keys: string[] | null, target: JsonObject, inner: (text: string, key: string, value: unknown) => string): string {
  const managed = (key: string) => keys === null || keys.includes(key);
  let out = text;
  const present = (nodeAt(out, path)!.children ?? []).map((property) => property.children![0]!.value as string).filter(managed);
  for (const key of present) if (!(key in target)) out = removeMember(out, [...path, key]);
  for (const [key, value] of Object.entries(target)) {
    if (!managed(key)) continue;
    if (present.includes(key)) out = inner(out, key, value);
    else out = insertMember(out, path, nodeAt(out, path)!.children?.length ?? 0, key, value);
  }
  return out;
}

/** Make the array at `path` equal `target`, keeping the elements both share (a longest common subsequence) untouched. */
function syncArray(text: string, path: JSONPath, target: unknown[]): string {
  const current = (nodeAt(text, path)!.children ?? []).map((node) => JSON.stringify(valueOf(node)));
  const wanted = target.map((value) => JSON.stringify(value));
  const [keptCurrent, keptWanted] = commonSubsequence(current, wanted);
  let out = text;
  for (let i = current.length - 1; i >= 0; i -= 1) if (!keptCurrent.has(i)) out = removeMember(out, [...path, i]);
  // After the removals the array is the common subsequence; inserting in ascending order builds `target`.
  for (let j = 0; j < target.length; j += 1) if (!keptWanted.has(j)) out = insertMember(out, path, j, undefined, target[j]);
  return out;
}

/** Indices of a longest common subsequence of `a` and `b`, in each. */
function commonSubsequence(a: string[], b: string[]): [Set<number>, Set<number>] {
  const lengths = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      lengths[i]![j] = a[i] === b[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  const inA = new Set<number>();
  const inB = new Set<number>();
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      inA.add(i++);
      inB.add(j++);
    } else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) i += 1;
    else j += 1;
  }
  return [inA, inB];
}

/**
 * dp's change to settings.json (`base` -> `ours`: rules added or removed per list, env keys set or
 * removed, containers created or dropped) applied in place to `theirs`, the file as a concurrent
 * writer (Claude Code approving a command) left it: every change of theirs stays, and where both
 * changed the same env key, theirs wins.
 */
export function mergeSettingsThreeWay(baseText: string, oursText: string, theirsText: string): string {
  const base = parseSettings(baseText, SETTINGS_PATH);
  const ours = parseSettings(oursText, SETTINGS_PATH);
  let theirs: Settings;
  try {
    theirs = parseSettings(theirsText, SETTINGS_PATH);
  } catch (error) {
    if (!(error instanceof DpError)) throw error;
    throw new DpError(`${SETTINGS_PATH} changed while dp was writing it and is no longer valid: ${error.message}`, 'dp overwrote nothing of it; fix the file (strict JSON) and run dp again');
  }
  const target = structuredClone(theirs);
  for (const list of RULE_LISTS) rebaseList(target, 'permissions', list, objectAt(base, 'permissions')?.[list] as unknown[] | undefined, objectAt(ours, 'permissions')?.[list] as unknown[] | undefined);
  rebaseEnv(target, objectAt(base, 'env') as Record<string, string> | undefined, objectAt(ours, 'env') as Record<string, string> | undefined);
  for (const event of new Set([...Object.keys(objectAt(base, 'hooks') ?? {}), ...Object.keys(objectAt(ours, 'hooks') ?? {})])) {
    rebaseList(target, 'hooks', event, objectAt(base, 'hooks')?.[event] as unknown[] | undefined, objectAt(ours, 'hooks')?.[event] as unknown[] | undefined);
  }
  rebaseStatusLine(target, base.statusLine, ours.statusLine);
  for (const key of MANAGED_KEYS) {
    // A container dp dropped goes from theirs too, unless theirs put something in it meanwhile.
    const container = objectAt(target, key);
    if (key in base && !(key in ours) && container && Object.keys(container).length === 0) delete target[key];
  }
  return editSettingsText(theirsText, target);
}

function objectAt(settings: Settings, key: string): JsonObject | undefined {
  const value = settings[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

function ensureObject(settings: Settings, key: string): JsonObject {
  return objectAt(settings, key) ?? (settings[key] = {});
}

/** The elements dp added to or removed from the list `top.list` (rules, hook groups) applied to theirs. */
function rebaseList(target: Settings, top: string, list: string, base: unknown[] | undefined, ours: unknown[] | undefined): void {
  const key = (value: unknown) => JSON.stringify(value);
  const baseKeys = new Set((base ?? []).map(key));
  const oursKeys = new Set((ours ?? []).map(key));
  const added = (ours ?? []).filter((value) => !baseKeys.has(key(value)));
  // Counted, not as a set: dp taking its copy out beside the user's identical one removes one copy only.
  const removed = new Map<string, number>();
  for (const k of baseKeys) {
    const count = (base ?? []).filter((value) => key(value) === k).length - (oursKeys.has(k) ? ours!.filter((value) => key(value) === k).length : 0);
    if (count > 0) removed.set(k, count);
  }
  const dropped = base !== undefined && ours === undefined;
  const created = base === undefined && ours !== undefined;
  if (added.length === 0 && removed.size === 0 && !dropped && !created) return;
  const theirs = objectAt(target, top)?.[list] as unknown[] | undefined;
  const values = [...(theirs ?? [])];
  for (const [k, count] of removed) {
    let left = count;
    for (let i = values.length - 1; i >= 0 && left > 0; i -= 1) {
      if (key(values[i]) === k) {
        values.splice(i, 1);
        left -= 1;
      }
    }
  }
  for (const value of added) if (!values.some((v) => key(v) === key(value))) values.push(value);
  if (values.length > 0 || (theirs !== undefined && !dropped)) ensureObject(target, top)[list] = values;
  else if (theirs !== undefined) delete objectAt(target, top)![list];
}

/** dp's change of statusLine applied to theirs, unless theirs changed it too (theirs wins). */
function rebaseStatusLine(target: Settings, base: unknown, ours: unknown): void {
  const key = (value: unknown) => JSON.stringify(value);
  if (key(base) === key(ours) || key(target.statusLine) !== key(base)) return;
  if (ours === undefined) delete target.statusLine;
  else target.statusLine = ours;
}

function rebaseEnv(target: Settings, base: Record<string, string> | undefined, ours: Record<string, string> | undefined): void {
  for (const key of new Set([...Object.keys(base ?? {}), ...Object.keys(ours ?? {})])) {
    const before = base?.[key];
    const after = ours?.[key];
    const env = objectAt(target, 'env');
    // Theirs changed this key too: theirs wins.
    if (before === after || env?.[key] !== before) continue;
    if (after === undefined) delete env![key];
    else ensureObject(target, 'env')[key] = after;
  }
}
