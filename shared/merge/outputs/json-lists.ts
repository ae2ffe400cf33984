// Entries in list-valued members of other assistants' JSON settings files (`context.fileName` in
// .gemini/settings.json, `permissions.allow` in .cursor/cli.json), owned entry by entry like
// settings.json's rules: dp never claims a value the user already had, never adds back one the user
// removed, takes back only its own, and removes the containers and the file it created once empty. The
// file is edited in place (json-edit.ts): every byte outside dp's entries stays. Checked first: a file
// that is not strict JSON is refused before any change.
import { parseTree, type ParseError } from 'jsonc-parser';
import { DpError } from '../../errors.js';
import { insertMember, nodeAt, removeMember, valueOf } from '../json-edit.js';
import type { Status } from '../model.js';
import type { ListEntry, ListOwnership } from '../record.js';
import type { OutputKind, Run } from './run.js';

export const jsonLists: OutputKind = (read, _personas, run) => {
  const files = [...new Set([...run.assistants.lists.map((l) => l.path), ...Object.keys(run.previous.managed.lists ?? {})])];
  const texts = new Map(files.map((file) => [file, read(file)]));
  for (const [file, text] of texts) if (text !== null) checkJson(file, text);
  return () => files.flatMap((file) => applyLists(file, texts.get(file) ?? null, run));
};

/** A JSON object in strict JSON, or a DpError naming the line. */
export function checkJson(file: string, text: string): void {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  if (errors.length > 0) {
    const line = text.slice(0, errors[0]!.offset).split('\n').length;
    throw new DpError(`${file} line ${line}: not strict JSON (dp adds entries only to a file without comments or trailing commas)`, `fix ${file} or take out what dp cannot read, then run again; dp changed nothing`);
  }
  if (root?.type !== 'object') throw new DpError(`${file} is not a JSON object`, `fix ${file}, then run again; dp changed nothing`);
}

const same = (a: string[], b: string[]) => a.length === b.length && a.every((k, i) => k === b[i]);
const find = (list: ListEntry[], key: string[], value: string) => list.find((e) => same(e.key, key) && e.value === value);

function applyLists(file: string, fileText: string | null, run: Run): string[] {
  const prior: ListOwnership = run.previous.managed.lists?.[file] ?? { entries: [], declined: [] };
  const owned: ListEntry[] = [];
  const declined: ListEntry[] = [];
  const created = new Set(prior.created ?? []);
  const notes: string[] = [];
  let text = fileText ?? '{}\n';

  // The values wanted, each with the personas that want it.
  const wanted: Array<ListEntry & { personas: string[] }> = [];
  for (const list of run.assistants.lists.filter((l) => l.path === file)) {
    for (const value of list.values) {
      const entry = find(wanted, list.key, value) as (ListEntry & { personas: string[] }) | undefined;
      if (entry) entry.personas.push(list.persona);
      else wanted.push({ key: list.key, value, personas: [list.persona] });
    }
  }
  for (const entry of wanted) {
    const node = nodeAt(text, entry.key);
    const name = entry.key.join('.');
    if (node && node.type !== 'array') {
      notes.push(`${file}: ${name} is not a list, so dp left it as it is and did not add ${JSON.stringify(entry.value)}`);
      continue;
    }
    const present = node !== undefined && (node.children ?? []).some((child) => valueOf(child) === entry.value);
    const wasOwned = find(prior.entries, entry.key, entry.value) !== undefined;
    if (present) {
      // The user's own value stays theirs: dp claims only what it added.
      if (wasOwned) owned.push({ key: entry.key, value: entry.value, personas: entry.personas });
    } else if (wasOwned || find(prior.declined, entry.key, entry.value)) {
      declined.push({ key: entry.key, value: entry.value });
    } else {
      text = addValue(text, entry.key, entry.value, created);
      owned.push({ key: entry.key, value: entry.value, personas: entry.personas });
    }
  }
  for (const entry of prior.entries) {
    if (find(owned, entry.key, entry.value) || find(declined, entry.key, entry.value)) continue;
    const node = nodeAt(text, entry.key);
    const index = node?.type === 'array' ? (node.children ?? []).findIndex((child) => valueOf(child) === entry.value) : -1;
    if (index >= 0) text = removeMember(text, [...entry.key, index]);
  }
  text = dropEmptyContainers(text, created);

  const createdFile = fileText === null ? owned.length > 0 : prior.createdFile === true;
  const empty = (nodeAt(text, [])?.children ?? []).length === 0;
  const next = createdFile && empty ? null : fileText === null && owned.length === 0 ? null : text;
  if (owned.length > 0 || declined.length > 0 || created.size > 0) {
    run.record.managed.lists = { ...run.record.managed.lists, [file]: { ...(createdFile && next !== null ? { createdFile: true } : {}), ...(created.size > 0 ? { created: [...created] } : {}), entries: owned, declined } };
  }
  if (next !== fileText) {
    run.changes.push({ path: file, content: next });
    const status: Status = fileText === null ? 'created' : next === null ? 'removed' : 'updated';
    run.outcomes.push({ path: file, status });
  } else if (fileText !== null && wanted.length > 0) {
    run.outcomes.push({ path: file, status: 'unchanged' });
  }
  return notes;
}

/** Append a value to the list at `key`, creating (and recording) the objects and the list that are missing. */
function addValue(text: string, key: string[], value: string, created: Set<string>): string {
  let depth = 0;
  while (depth < key.length && nodeAt(text, key.slice(0, depth + 1)) !== undefined) depth += 1;
  if (depth === key.length) {
    const list = nodeAt(text, key)!;
    return insertMember(text, key, list.children?.length ?? 0, undefined, value);
  }
  // The missing part, built as one value: { rest: { ...: [value] } }.
  let inserted: unknown = [value];
  for (let i = key.length - 1; i > depth; i -= 1) inserted = { [key[i]!]: inserted };
  for (let i = depth + 1; i <= key.length; i += 1) created.add(JSON.stringify(key.slice(0, i)));
  const parent = nodeAt(text, key.slice(0, depth))!;
  return insertMember(text, key.slice(0, depth), parent.children?.length ?? 0, key[depth]!, inserted);
}

/** Containers dp created that hold nothing any more are taken out, deepest first; those left stay recorded. */
function dropEmptyContainers(text: string, created: Set<string>): string {
  let out = text;
  const paths = [...created].map((p) => JSON.parse(p) as string[]).sort((a, b) => b.length - a.length);
  for (const path of paths) {
    const node = nodeAt(out, path);
    if (node === undefined) created.delete(JSON.stringify(path));
    else if ((node.children ?? []).length === 0) {
      out = removeMember(out, path);
      created.delete(JSON.stringify(path));
    }
  }
  return out;
}
