// .claude/persona.json: which personas are active, what they list (commands, tools, env), and what dp
// wrote: settings entries (rules, env, hook groups, the status line, and for which personas), CLAUDE.md sections and files, each with the sha256 of
// the content dp generated. It is written last in a run, so it always describes files already on disk.
//
// Two kinds of owned content (decided in the plan, shared/plan):
//   - text a user customises (commands, templates, CLAUDE.md sections): its pristine copy, the base of the
//     next three-way merge, is kept beside the record in .claude/persona.bases.json, by sha256;
//   - bundled tools ("update": "replace"): kept or replaced by hash, never merged: an untouched tool is
//     replaced on upgrade, an edited one stays and the new version is written beside it as <file>.dp-new.
// The record is one line per managed file, section and rule group, so that a diff of it reads.
// Records written before this format (format 1: settings ownership rule by rule, a `base` inlined in every
// entry, `configuration.permissions`) are read as they are and rewritten in this format by the next run.
import { createHash } from 'node:crypto';
import { DpError } from '../errors.js';
import { isRepositoryPath } from './paths.js';
import { emptyOwnership, type RuleList, type SettingsOwnership } from './settings-merge.js';
import type { HookGroup, StatusLineSetting } from './settings-hooks.js';

export const RECORD_PATH = '.claude/persona.json';
/** The pristine copies of customisable text dp generated: the bases of three-way merges. */
export const BASES_PATH = '.claude/persona.bases.json';

const FORMAT = 2;
const RULE_LISTS: RuleList[] = ['deny', 'ask', 'allow'];

export interface ManagedFile {
  persona: string;
  sha256: string;
  executable: boolean;
  /** A bundled tool: replaced by hash on upgrade, never merged; no base is stored. */
  update?: 'replace';
  /** Format 1 only: the base inlined (raw deflate + base64). */
  base?: string;
}

export interface ManagedSection {
  persona: string;
  sha256: string;
  file: string;
  addedNewline?: boolean;
  /** dp put a blank line before the section when it appended it (removal takes it back). */
  addedBlankLine?: boolean;
  /** The file held nothing of the user's when dp added this section (CLAUDE.md's import of AGENTS.md). */
  fileWasDps?: boolean;
  /** Format 1 only: the base inlined (raw deflate + base64). */
  base?: string;
}

/** A value dp put into a list of a JSON settings file (outputs/json-lists.ts); `personas` only while owned. */
export interface ListEntry {
  key: string[];
  value: string;
  personas?: string[];
}

/** dp's values in one JSON settings file: owned, declined (the user removed them), containers it created. */
export interface ListOwnership {
  createdFile?: boolean;
  /** The containers dp created, each as the JSON text of its key path. */
  created?: string[];
  entries: ListEntry[];
  declined: ListEntry[];
}

export interface PersonaRecord {
  /** Present only in the intent written before settings.json (intent.ts). */
  pendingSettings?: { sha256: string | null; ownershipBefore: SettingsOwnership };
  generator: 'generator-dp';
  version: string;
  /** The assistants dp writes for (shared/assistants); absent: Claude Code alone. */
  assistants?: string[];
  active: Array<{ id: string; displayName: string; level?: string; custom?: boolean; statusLine?: boolean }>;
  configuration: { env: Record<string, string>; commands: string[]; tools: string[] };
  managed: { settings: SettingsOwnership; sections: Record<string, ManagedSection>; files: Record<string, ManagedFile>; lists?: Record<string, ListOwnership> };
}

/**
 * A section's key in managed.sections: the persona's id for CLAUDE.md (as records always had it),
 * `<file>#<id>` in any other file. The entry's `persona` is the section's id.
 */
export function sectionKey(file: string, id: string): string {
  return file === 'CLAUDE.md' ? id : `${file}#${id}`;
}

export function emptyRecord(version: string): PersonaRecord {
  return {
    generator: 'generator-dp',
    version,
    active: [],
    configuration: { env: {}, commands: [], tools: [] },
    managed: { settings: emptyOwnership(), sections: {}, files: {} },
  };
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).slice(0, 3).map(Number);
  const pb = b.split(/[.-]/).slice(0, 3).map(Number);
  for (let i = 0; i < 3; i += 1) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

const CORRUPT_HINT = `restore ${RECORD_PATH} from version control (git checkout -- ${RECORD_PATH}); dp changed nothing`;

// A small checker instead of a schema library: the record is read on every run, and compiling schemas
// costs more start-up than reading the record does.
class Invalid extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

type Value = unknown;
const at = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);
const kind = (value: Value) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

function object(value: Value, path: string): Record<string, Value> {
  if (kind(value) !== 'object') throw new Invalid(path, `expected an object, got ${kind(value)}`);
  return value as Record<string, Value>;
}
function string(value: Value, path: string): string {
  if (typeof value !== 'string') throw new Invalid(path, `expected a string, got ${kind(value)}`);
  return value;
}
function boolean(value: Value, path: string): boolean {
  if (typeof value !== 'boolean') throw new Invalid(path, `expected a boolean, got ${kind(value)}`);
  return value;
}
function optional<T>(value: Value, path: string, check: (v: Value, p: string) => T): T | undefined {
  return value === undefined ? undefined : check(value, path);
}
function array<T>(value: Value, path: string, item: (v: Value, p: string) => T): T[] {
  if (!Array.isArray(value)) throw new Invalid(path, `expected an array, got ${kind(value)}`);
  return value.map((v, i) => item(v, at(path, i)));
}
function strings(value: Value, path: string): string[] {
  return array(value, path, string);
}
function record<T>(value: Value, path: string, item: (v: Value, p: string) => T): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, v] of Object.entries(object(value, path))) out[key] = item(v, at(path, key));
  return out;
}
function sha(value: Value, path: string): string {
  const text = string(value, path);
  if (!/^[0-9a-f]{64}$/.test(text)) throw new Invalid(path, 'expected a sha256 (64 hex digits)');
  return text;
}
function ruleLists<T>(value: Value, path: string, item: (v: Value, p: string) => T): Record<RuleList, T> {
  const o = object(value, path);
  return { deny: item(o.deny, at(path, 'deny')), ask: item(o.ask, at(path, 'ask')), allow: item(o.allow, at(path, 'allow')) };
}

/** A hook group as dp writes it into settings.json (settings-hooks.ts). */
function hookGroup(value: Value, path: string): HookGroup {
  const o = object(value, path);
  const matcher = optional(o.matcher, at(path, 'matcher'), string);
  const hooks = array(o.hooks, at(path, 'hooks'), (v, p) => {
    const h = object(v, p);
    if (h.type !== 'command') throw new Invalid(at(p, 'type'), 'expected "command"');
    if (typeof h.timeout !== 'number') throw new Invalid(at(p, 'timeout'), `expected a number, got ${kind(h.timeout)}`);
    return { type: 'command' as const, command: string(h.command, at(p, 'command')), timeout: h.timeout };
  });
  return { ...(matcher !== undefined ? { matcher } : {}), hooks };
}
function hookEntry(value: Value, path: string): { event: string; entry: HookGroup } {
  const o = object(value, path);
  return { event: string(o.event, at(path, 'event')), entry: hookGroup(o.entry, at(path, 'entry')) };
}
function statusLineValue(value: Value, path: string): StatusLineSetting {
  const o = object(value, path);
  if (o.type !== 'command') throw new Invalid(at(path, 'type'), 'expected "command"');
  const refresh = o.refreshInterval;
  if (refresh !== undefined && typeof refresh !== 'number') throw new Invalid(at(path, 'refreshInterval'), `expected a number, got ${kind(refresh)}`);
  return { type: 'command', command: string(o.command, at(path, 'command')), ...(refresh !== undefined ? { refreshInterval: refresh } : {}) };
}

/** Settings ownership as the merge uses it (format 1 writes it this way too). */
function ownershipV1(value: Value, path: string): SettingsOwnership {
  const o = object(value, path);
  const declined = object(o.declined, at(path, 'declined'));
  const createdFile = optional(o.createdFile, at(path, 'createdFile'), boolean);
  const created = optional(o.created, at(path, 'created'), strings);
  const hooks = optional(o.hooks, at(path, 'hooks'), (v, p) => array(v, p, (h, hp) => ({ ...hookEntry(h, hp), personas: strings(object(h, hp).personas, at(hp, 'personas')) })));
  const statusLine = optional(o.statusLine, at(path, 'statusLine'), (v, p) => ({ value: statusLineValue(object(v, p).value, at(p, 'value')), personas: strings(object(v, p).personas, at(p, 'personas')) }));
  const declinedHooks = optional(declined.hooks, at(at(path, 'declined'), 'hooks'), (v, p) => array(v, p, hookEntry));
  const declinedStatusLine = optional(declined.statusLine, at(at(path, 'declined'), 'statusLine'), boolean);
  return {
    rules: ruleLists(o.rules, at(path, 'rules'), (v, p) => record(v, p, strings)),
    env: record(o.env, at(path, 'env'), (v, p) => {
      const e = object(v, p);
      return { value: string(e.value, at(p, 'value')), personas: strings(e.personas, at(p, 'personas')) };
    }),
    declined: {
      rules: ruleLists(declined.rules, at(at(path, 'declined'), 'rules'), strings),
      env: strings(declined.env, at(at(path, 'declined'), 'env')),
      ...(declinedHooks !== undefined ? { hooks: declinedHooks } : {}),
      ...(declinedStatusLine !== undefined ? { statusLine: declinedStatusLine } : {}),
    },
    ...(hooks !== undefined ? { hooks } : {}),
    ...(statusLine !== undefined ? { statusLine } : {}),
    ...(createdFile !== undefined ? { createdFile } : {}),
    ...(created !== undefined ? { created } : {}),
  };
}

/**
 * Settings ownership as format 2 writes it: rules grouped by the personas that want them (one group per
 * set of personas), so that a rule every persona shares is written once.
 */
function ownershipV2(value: Value, path: string): SettingsOwnership {
  const o = object(value, path);
  const ownership = ownershipV1({ ...o, rules: { deny: {}, ask: {}, allow: {} } }, path);
  array(o.rules, at(path, 'rules'), (v, p) => {
    const group = object(v, p);
    const personas = strings(group.personas, at(p, 'personas'));
    for (const list of RULE_LISTS) {
      for (const rule of optional(group[list], at(p, list), strings) ?? []) ownership.rules[list][rule] = [...personas];
    }
    return null;
  });
  return ownership;
}

function managedFile(value: Value, path: string): ManagedFile {
  const o = object(value, path);
  const update = optional(o.update, at(path, 'update'), string);
  if (update !== undefined && update !== 'replace') throw new Invalid(at(path, 'update'), 'expected "replace"');
  const base = optional(o.base, at(path, 'base'), string);
  return {
    persona: string(o.persona, at(path, 'persona')),
    sha256: sha(o.sha256, at(path, 'sha256')),
    executable: boolean(o.executable, at(path, 'executable')),
    ...(update ? { update } : {}),
    ...(base !== undefined ? { base } : {}),
  };
}

function managedSection(value: Value, path: string): ManagedSection {
  const o = object(value, path);
  const addedNewline = optional(o.addedNewline, at(path, 'addedNewline'), boolean);
  const addedBlankLine = optional(o.addedBlankLine, at(path, 'addedBlankLine'), boolean);
  const fileWasDps = optional(o.fileWasDps, at(path, 'fileWasDps'), boolean);
  const base = optional(o.base, at(path, 'base'), string);
  return {
    persona: string(o.persona, at(path, 'persona')),
    sha256: sha(o.sha256, at(path, 'sha256')),
    file: string(o.file, at(path, 'file')),
    ...(addedNewline !== undefined ? { addedNewline } : {}),
    ...(addedBlankLine !== undefined ? { addedBlankLine } : {}),
    ...(fileWasDps !== undefined ? { fileWasDps } : {}),
    ...(base !== undefined ? { base } : {}),
  };
}

function listEntry(value: Value, path: string): ListEntry {
  const o = object(value, path);
  const personas = optional(o.personas, at(path, 'personas'), strings);
  return { key: strings(o.key, at(path, 'key')), value: string(o.value, at(path, 'value')), ...(personas !== undefined ? { personas } : {}) };
}

function listOwnership(value: Value, path: string): ListOwnership {
  const o = object(value, path);
  const createdFile = optional(o.createdFile, at(path, 'createdFile'), boolean);
  const created = optional(o.created, at(path, 'created'), strings);
  return {
    ...(createdFile !== undefined ? { createdFile } : {}),
    ...(created !== undefined ? { created } : {}),
    entries: array(o.entries, at(path, 'entries'), listEntry),
    declined: array(o.declined, at(path, 'declined'), listEntry),
  };
}

function checkRecord(data: Value): PersonaRecord {
  const o = object(data, '');
  if (o.generator !== 'generator-dp') throw new Invalid('generator', 'expected "generator-dp"');
  const version = string(o.version, 'version');
  if (!/^\d+\.\d+\.\d+/.test(version)) throw new Invalid('version', 'expected a version such as 1.2.3');
  const format = optional(o.format, 'format', (v, p) => (typeof v === 'number' ? v : Number(string(v, p))));
  const v2 = format !== undefined && format >= FORMAT;
  const configuration = object(o.configuration, 'configuration');
  const managed = object(o.managed, 'managed');
  const active = array(o.active, 'active', (v, p) => {
    const a = object(v, p);
    const level = optional(a.level, at(p, 'level'), string);
    const custom = optional(a.custom, at(p, 'custom'), boolean);
    const statusLine = optional(a.statusLine, at(p, 'statusLine'), boolean);
    return {
      id: string(a.id, at(p, 'id')),
      displayName: string(a.displayName, at(p, 'displayName')),
      ...(level !== undefined ? { level } : {}),
      ...(custom !== undefined ? { custom } : {}),
      ...(statusLine !== undefined ? { statusLine } : {}),
    };
  });
  const pending = optional(o.pendingSettings, 'pendingSettings', (v, p) => {
    const s = object(v, p);
    return { sha256: s.sha256 === null ? null : string(s.sha256, at(p, 'sha256')), ownershipBefore: (v2 ? ownershipV2 : ownershipV1)(s.ownershipBefore, at(p, 'ownershipBefore')) };
  });
  const assistants = optional(o.assistants, 'assistants', strings);
  const lists = optional(managed.lists, 'managed.lists', (v, p) => record(v, p, listOwnership));
  return {
    ...(pending ? { pendingSettings: pending } : {}),
    generator: 'generator-dp',
    version,
    ...(assistants !== undefined ? { assistants } : {}),
    active,
    configuration: {
      env: record(configuration.env, 'configuration.env', string),
      commands: strings(configuration.commands, 'configuration.commands'),
      tools: strings(configuration.tools, 'configuration.tools'),
    },
    managed: {
      settings: (v2 ? ownershipV2 : ownershipV1)(managed.settings, 'managed.settings'),
      sections: record(managed.sections, 'managed.sections', managedSection),
      files: record(managed.files, 'managed.files', managedFile),
      ...(lists !== undefined ? { lists } : {}),
    },
  };
}

/** Parse the record; null text (no file) means no persona applied yet. */
export function parseRecord(text: string | null, ourVersion: string): PersonaRecord | null {
  return text === null ? null : parseRecordData(text, ourVersion);
}

/** Parse and check a record's text: corrupt or newer records are refused. */
export function parseRecordData(text: string, ourVersion: string): PersonaRecord {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new DpError(`${RECORD_PATH} is corrupt: not valid JSON (${(error as Error).message})`, CORRUPT_HINT);
  }
  // A newer generator-dp may write another layout: say "upgrade", not "corrupt".
  const written = (data as { version?: unknown } | null)?.version;
  if (typeof written === 'string' && /^\d+\.\d+\.\d+/.test(written) && compareVersions(written, ourVersion) > 0) throw newerRecord(written, ourVersion);
  let parsed: PersonaRecord;
  try {
    parsed = checkRecord(data);
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    throw new DpError(`${RECORD_PATH} is corrupt: ${error.path || 'top level'}: ${error.message}`, CORRUPT_HINT);
  }
  const outside = [...Object.keys(parsed.managed.files), ...Object.values(parsed.managed.sections).map((s) => s.file), ...Object.keys(parsed.managed.lists ?? {})].find((path) => !isRepositoryPath(path));
  if (outside !== undefined) {
    throw new DpError(`${RECORD_PATH} names a file outside this repository: ${JSON.stringify(outside)}`, `dp only writes inside the repository; ${CORRUPT_HINT}`);
  }
  return parsed;
}

function newerRecord(version: string, ourVersion: string): DpError {
  return new DpError(
    `${RECORD_PATH} was written by generator-dp ${version}, newer than this ${ourVersion}`,
    `upgrade first: npm install -D generator-dp@${version} (or newer); dp changed nothing`,
  );
}

// Writing: JSON, one line per managed file, section, rule group and env key.
const line = (value: unknown) => JSON.stringify(value);
function lines(entries: Array<[string, unknown]>, indent: string): string {
  return entries.length === 0 ? '{}' : `{\n${entries.map(([key, value]) => `${indent}  ${line(key)}: ${line(value)}`).join(',\n')}\n${indent}}`;
}
function list(values: unknown[], indent: string): string {
  return values.length === 0 ? '[]' : `[\n${values.map((value) => `${indent}  ${line(value)}`).join(',\n')}\n${indent}]`;
}

/** Rules grouped by the personas that want them, groups in the order they first appear. */
function ruleGroups(ownership: SettingsOwnership): Array<Record<string, string[]>> {
  const groups = new Map<string, Record<string, string[]>>();
  for (const kind of RULE_LISTS) {
    for (const [rule, personas] of Object.entries(ownership.rules[kind])) {
      const key = JSON.stringify(personas);
      const group = groups.get(key) ?? { personas };
      (group[kind] ??= []).push(rule);
      groups.set(key, group);
    }
  }
  return [...groups.values()].map((group) => ({ personas: group.personas!, ...Object.fromEntries(RULE_LISTS.filter((k) => group[k]).map((k) => [k, group[k]!])) }));
}

function serializeOwnership(ownership: SettingsOwnership, indent: string): string {
  const inner = `${indent}  `;
  const parts = [
    `${inner}"rules": ${list(ruleGroups(ownership), inner)}`,
    `${inner}"env": ${lines(Object.entries(ownership.env), inner)}`,
    ...(ownership.hooks !== undefined ? [`${inner}"hooks": ${list(ownership.hooks, inner)}`] : []),
    ...(ownership.statusLine !== undefined ? [`${inner}"statusLine": ${line(ownership.statusLine)}`] : []),
    `${inner}"declined": ${line(ownership.declined)}`,
    ...(ownership.createdFile !== undefined ? [`${inner}"createdFile": ${line(ownership.createdFile)}`] : []),
    ...(ownership.created !== undefined ? [`${inner}"created": ${line(ownership.created)}`] : []),
  ];
  return `{\n${parts.join(',\n')}\n${indent}}`;
}

export function serializeRecord(record: PersonaRecord): string {
  // Entries written before this format lose their inlined base: the bases file holds it from now on.
  const files = Object.entries(record.managed.files).map(([path, { base: _base, ...entry }]) => [path, entry] as [string, unknown]);
  const sections = Object.entries(record.managed.sections).map(([id, { base: _base, ...entry }]) => [id, entry] as [string, unknown]);
  const { configuration: c } = record;
  const parts = [
    ...(record.pendingSettings
      ? [`  "pendingSettings": {\n    "sha256": ${line(record.pendingSettings.sha256)},\n    "ownershipBefore": ${serializeOwnership(record.pendingSettings.ownershipBefore, '    ')}\n  }`]
      : []),
    `  "generator": ${line(record.generator)}`,
    `  "version": ${line(record.version)}`,
    `  "format": ${FORMAT}`,
    ...(record.assistants ? [`  "assistants": ${line(record.assistants)}`] : []),
    `  "active": ${list(record.active, '  ')}`,
    `  "configuration": {\n    "env": ${lines(Object.entries(c.env), '    ')},\n    "commands": ${list(c.commands, '    ')},\n    "tools": ${list(c.tools, '    ')}\n  }`,
    `  "managed": {\n    "settings": ${serializeOwnership(record.managed.settings, '    ')},\n    "sections": ${lines(sections, '    ')},\n    "files": ${lines(files, '    ')}${
      record.managed.lists && Object.keys(record.managed.lists).length > 0 ? `,\n    "lists": ${lines(Object.entries(record.managed.lists), '    ')}` : ''
    }\n  }`,
  ];
  return `{\n${parts.join(',\n')}\n}\n`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

// node:zlib is loaded only for a format 1 record: loading it costs a run that never needs it a few milliseconds.
const zlib = () => process.getBuiltinModule('node:zlib');

/** Format 1's inlined base: raw deflate (no header, so the same on every OS) + base64. */
export function packBase(text: string): string {
  return zlib().deflateRawSync(Buffer.from(text, 'utf8')).toString('base64');
}

export function unpackBase(packed: string): string {
  return zlib().inflateRawSync(Buffer.from(packed, 'base64')).toString('utf8');
}

// The bases file: { "about": ..., "bases": { "<sha256>": "<text>" } }, one line per base, the text as it is
// (an upgrade's diff of it reads as the change of dp's templates; nothing to compress or decompress).
// Read leniently: a missing or damaged bases file costs the three-way merge of an edited file (it is then
// reported as a conflict, the new version beside it), never a byte of the user's.
const BASES_ABOUT = `pristine copies of the text generator-dp wrote (commands, templates, CLAUDE.md sections), by sha256: the bases of three-way merges on upgrade. Managed with ${RECORD_PATH}.`;

export function parseBases(text: string | null): Map<string, string> {
  const bases = new Map<string, string>();
  if (text === null) return bases;
  try {
    const data = JSON.parse(text) as { bases?: unknown };
    if (kind(data.bases) !== 'object') return bases;
    for (const [hash, base] of Object.entries(data.bases as Record<string, unknown>)) {
      // A base whose text no longer has its hash was edited by hand: not a base.
      if (/^[0-9a-f]{64}$/.test(hash) && typeof base === 'string' && sha256(base) === hash) bases.set(hash, base);
    }
  } catch {
    // Damaged: as if absent.
  }
  return bases;
}

export function serializeBases(bases: Map<string, string>): string {
  return `{\n  "about": ${line(BASES_ABOUT)},\n  "bases": ${lines([...bases], '  ')}\n}\n`;
}

/** The base dp generated for an entry: format 1's inlined copy, or the bases file's by hash. */
export function storedBase(entry: { sha256: string; base?: string }, bases: Map<string, string>): string | null {
  if (entry.base !== undefined) return unpackBase(entry.base);
  return bases.get(entry.sha256) ?? null;
}
