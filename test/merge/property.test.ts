// Never lose a byte: randomized sequences of user edits, template changes between generator versions,
// persona add / remove / switch / level changes and upgrades, run through the merge engine on real files.
// After every step: every line the user wrote is still in the file they wrote it in, every conflict left
// its new version in a .dp-new file, settings.json is schema-valid with every user rule and every deny
// rule of the active personas, and running again writes nothing. A run may have another program write
// while it runs (between dp's reading and its writing): a line added to CLAUDE.md, a rule approved into
// settings.json, saved in place as Claude Code does; dp merges them in, and they are checked like the rest.
// Each sequence writes for Claude Code, AGENTS.md, or both (the sections then in AGENTS.md, CLAUDE.md
// importing it): the user's text in either file is kept the same way.
//
// Seeded and reproducible: DP_PROPERTY_SEED=<seed> reruns a failure (fast-check prints the seed and
// the shrunk sequence); DP_PROPERTY_RUNS sets the number of sequences (npm run test:long: 1000).
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPersonas } from '../../shared/merge/apply.js';
import { CLAUDE_MD, dpNewPath, sectionDpNewPath, type DesiredPersona } from '../../shared/merge/model.js';
import { SETTINGS_PATH } from '../../shared/merge/settings-file.js';
import { commitChanges } from '../../shared/commit/commit.js';
import { diskReader, type Snapshot } from '../../shared/commit/read.js';
import { parseSections } from '../../shared/merge/sections.js';
import { sectionKey } from '../../shared/merge/record.js';
import { hasShared } from '../support/shared-fixtures.js';
import { settingsSchemaErrors } from '../support/settings-schema.js';
import { listFiles } from '../support/generators.js';
import { hookGroup } from '../../shared/merge/settings-hooks.js';

const hookKey = (event: string, group: unknown) => `${event}\u0000${JSON.stringify(group)}`;

const RUNS = Number(process.env.DP_PROPERTY_RUNS ?? 60);
const SEED = process.env.DP_PROPERTY_SEED === undefined ? undefined : Number(process.env.DP_PROPERTY_SEED);
const IDS = ['alpha', 'beta', 'gamma'] as const;
type Id = (typeof IDS)[number];
/** The Markdown files that hold dp's sections among the user's text. */
const SECTION_FILES = [CLAUDE_MD, 'AGENTS.md'] as const;
const TARGETS = [['claude'], ['claude', 'agents'], ['agents']] as const;

/** The template of one generator version: lines change from version to version, some files come and go. */
function lines(prefix: string, version: number, count = 8): string {
  return Array.from({ length: count }, (_, k) => `${prefix} line ${k}${k === version % count ? ` (v${version})` : ''}${k === (version * 3) % count ? ' (changed)' : ''}\n`).join('');
}

function persona(id: Id, version: number, level: 'low' | 'high'): DesiredPersona {
  const upper = id.toUpperCase();
  const files = [
    { path: `files/${id}/a.txt`, content: lines(`${id} a`, version), executable: false },
    { path: `files/${id}/tool.sh`, content: `#!/bin/sh\n${lines(`${id} tool`, version, 5)}`, executable: true },
    { path: `files/${id}/${level}.md`, content: lines(`${id} ${level}`, version, 4), executable: false },
    ...(version % 2 === 0 ? [{ path: `files/${id}/even.txt`, content: lines(`${id} even`, version, 3), executable: false }] : []),
  ];
  return {
    id,
    displayName: upper,
    ...(id === 'gamma' ? { level } : {}),
    files,
    section: lines(`## ${id} guidance`, version, 6),
    permissions: {
      allow: [`Bash(${id}-tool *)`, `Bash(${id}-v${version % 3})`, ...(level === 'high' ? [`Bash(${id}-high)`] : [])],
      ask: [`Bash(${id}-ask)`, ...(level === 'low' ? [`Bash(${id}-careful)`] : [])],
      deny: [`Read(./${id}-secret)`, 'Read(./.env)'],
    },
    env: { [`${upper}_MODE`]: `v${version}`, SHARED_FLAG: '1' },
    // Hooks change between versions (one is replaced on upgrade), one is shared by every persona; alpha has a status line.
    hooks: [
      { event: 'PreToolUse', matcher: 'Bash', command: `node hooks/${id}-v${version % 2}.mjs`, timeout: 10 },
      { event: 'SessionStart', command: 'node hooks/shared.mjs', timeout: 5 },
    ],
    ...(id === 'alpha' ? { statusLine: `node hooks/status-v${version % 2}.mjs` } : {}),
    workflows: [],
    agents: [],
    commands: [],
    tools: [],
  };
}

/** What another program writes while a dp run is under way. */
type During = { claude: boolean; settings: boolean };

type Op =
  | { kind: 'apply'; active: Id[]; level: 'low' | 'high'; markers: boolean; during: During }
  | { kind: 'upgrade'; markers: boolean; during: During }
  | { kind: 'editLine'; pick: number; line: number; replace: boolean }
  | { kind: 'claudeText'; file: number; top: boolean; finalNewline: boolean }
  | { kind: 'crlf'; file: number }
  | { kind: 'deleteSettings' }
  | { kind: 'editSection'; file: number; pick: number; line: number }
  | { kind: 'userRule'; list: 'allow' | 'ask' | 'deny' }
  | { kind: 'dropDpRule'; pick: number; list: 'allow' | 'ask' | 'deny' }
  | { kind: 'userEnv' }
  | { kind: 'changeDpEnv'; pick: number }
  | { kind: 'userHook'; identical: boolean; pick: number }
  | { kind: 'dropDpHook'; pick: number }
  | { kind: 'deleteFile'; pick: number };

const duringArb: fc.Arbitrary<During> = fc.record({ claude: fc.boolean(), settings: fc.boolean() });

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('apply' as const),
      active: fc.uniqueArray(fc.constantFrom(...IDS), { maxLength: 3 }),
      level: fc.constantFrom('low' as const, 'high' as const),
      markers: fc.boolean(),
      during: duringArb,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('upgrade' as const), markers: fc.boolean(), during: duringArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('editLine' as const), pick: fc.nat(), line: fc.nat(), replace: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('claudeText' as const), file: fc.nat(), top: fc.boolean(), finalNewline: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('crlf' as const), file: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'deleteSettings' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('editSection' as const), file: fc.nat(), pick: fc.nat(), line: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('userRule' as const), list: fc.constantFrom('allow' as const, 'ask' as const, 'deny' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dropDpRule' as const), pick: fc.nat(), list: fc.constantFrom('allow' as const, 'ask' as const, 'deny' as const) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'userEnv' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('changeDpEnv' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('userHook' as const), identical: fc.boolean(), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dropDpHook' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteFile' as const), pick: fc.nat() }) },
);

/** A file of sections outside dp's sections, less the blank line dp put before each section it appended (the record says which). */
function outsideSections(file: string, text: string, record: string | null): string {
  const sections = record === null ? {} : (JSON.parse(record) as { managed: { sections: Record<string, { addedBlankLine?: boolean }> } }).managed.sections;
  let out = '';
  let offset = 0;
  for (const span of parseSections(text, file)) {
    out += text.slice(offset, span.start);
    if (sections[sectionKey(file, span.id)]?.addedBlankLine && /(^|\n)\r?\n$/.test(out)) out = out.replace(/\r?\n$/, '');
    offset = span.end;
  }
  return out + text.slice(offset);
}

class Repo {
  readonly dir = mkdtempSync(join(tmpdir(), 'dp-prop-'));
  constructor(readonly assistants: readonly string[] = ['claude']) {}
  /** Where the personas' sections go. */
  get sectionFile(): string {
    return this.assistants.includes('agents') ? 'AGENTS.md' : CLAUDE_MD;
  }
  version = 0;
  active: Id[] = [];
  level: 'low' | 'high' = 'low';
  tokens = 0;
  /** path -> lines the user wrote there (each unique). */
  userLines = new Map<string, Set<string>>();
  userRules: Array<{ list: 'allow' | 'ask' | 'deny'; rule: string }> = [];
  userEnv = new Map<string, string>();
  /** Hook groups the user added (some identical to one of dp's), as event + JSON. */
  userHooks: string[] = [];

  read(path: string): string | null {
    return diskReader(this.dir)(path);
  }
  write(path: string, content: string): void {
    mkdirSync(dirname(join(this.dir, path)), { recursive: true });
    writeFileSync(join(this.dir, path), content);
  }
  token(): string {
    this.tokens += 1;
    return `USER-${this.tokens}`;
  }
  remember(path: string, line: string): void {
    if (!this.userLines.has(path)) this.userLines.set(path, new Set());
    this.userLines.get(path)!.add(line);
  }
  desired(): DesiredPersona[] {
    return this.active.map((id) => persona(id, this.version, this.level));
  }
  desiredHooks(): string[] {
    return this.desired().flatMap((p) => p.hooks.map((h) => hookKey(h.event, hookGroup(h))));
  }
  managedFiles(): string[] {
    return this.desired().flatMap((p) => p.files.map((f) => f.path)).filter((p) => this.read(p) !== null);
  }
  settings(): { permissions?: Record<string, string[]>; env?: Record<string, string>; hooks?: Record<string, unknown[]> } {
    const text = this.read(SETTINGS_PATH);
    return text === null ? {} : JSON.parse(text);
  }

  /** Another program writes while dp runs: in place, as Claude Code saves settings.json. */
  otherProgramWrites(during: During): void {
    const claude = this.read(this.sectionFile);
    if (during.claude && claude !== null) {
      const line = this.token();
      this.write(this.sectionFile, `${claude}${claude === '' || claude.endsWith('\n') ? '' : '\n'}${line}\n`);
      this.remember(this.sectionFile, line);
    }
    if (during.settings && this.read(SETTINGS_PATH) !== null) {
      const settings = this.settings();
      const rule = `Bash(${this.token().toLowerCase()}-approved)`;
      settings.permissions = { ...settings.permissions, allow: [...(settings.permissions?.allow ?? []), rule] };
      this.write(SETTINGS_PATH, `${JSON.stringify(settings, null, 2)}\n`);
      this.userRules.push({ list: 'allow', rule });
    }
  }

  /** Run dp (the merge engine, on disk) and check every promise. */
  dp(markers: boolean, removing: boolean, during: During): void {
    const personas = this.desired();
    const snapshot: Snapshot = new Map();
    const options = { version: `1.${this.version}.0`, onConflict: markers ? ('markers' as const) : ('keep' as const), assistants: this.assistants };
    const result = applyPersonas(diskReader(this.dir, snapshot), personas, options);
    this.otherProgramWrites(during);
    const outsideBefore = SECTION_FILES.map((file) => outsideSections(file, this.read(file) ?? '', this.read('.claude/persona.json')));
    commitChanges(this.dir, result.changes, snapshot, `1.${this.version}.0`);
    if (!removing) {
      // Outside dp's sections, CLAUDE.md and AGENTS.md are the user's, byte for byte (dp may only add a missing
      // final newline, and the blank line before a section it appends, which it records).
      SECTION_FILES.forEach((file, i) => {
        const after = outsideSections(file, this.read(file) ?? '', this.read('.claude/persona.json'));
        expect([outsideBefore[i], `${outsideBefore[i]}\n`, `${outsideBefore[i]}\r\n`], `${file} outside the sections`).toContain(after);
      });
    }
    for (const outcome of result.outcomes.filter((o) => o.status === 'conflict')) {
      if ((SECTION_FILES as readonly string[]).includes(outcome.path)) continue;
      const wanted = personas.flatMap((p) => p.files).find((f) => f.path === outcome.path)!;
      expect(this.read(dpNewPath(outcome.path)), `conflict in ${outcome.path} left its new version`).toBe(wanted.content);
    }
    for (const p of personas) {
      const dpNew = this.read(sectionDpNewPath(this.sectionFile, p.id));
      if (result.changes.some((c) => c.path === sectionDpNewPath(this.sectionFile, p.id))) expect(dpNew).toBe(p.section);
    }
    this.check();
    const again = applyPersonas(diskReader(this.dir), personas, options);
    expect(again.changes.map((c) => c.path), 'a re-run with nothing new writes nothing').toEqual([]);
  }

  check(): void {
    for (const [path, wrote] of this.userLines) {
      const text = this.read(path) ?? '';
      for (const line of wrote) expect(text, `${line} in ${path}`).toContain(line);
    }
    for (const file of SECTION_FILES) parseSections(this.read(file) ?? '', file);
    const settings = this.settings();
    for (const { list, rule } of this.userRules) expect(settings.permissions?.[list], `user rule ${rule}`).toContain(rule);
    for (const [key, value] of this.userEnv) expect(settings.env?.[key]).toBe(value);
    // settings.json is Claude Code's: written only where Claude Code is.
    const claude = this.assistants.includes('claude');
    if (claude) for (const p of this.desired()) for (const rule of p.permissions.deny) expect(settings.permissions?.deny, `deny ${rule}`).toContain(rule);
    // The user's hooks stay; dp's are never there twice (beyond the user's own identical copies).
    const count = (key: string, keys: string[]) => keys.filter((k) => k === key).length;
    const present = Object.entries(settings.hooks ?? {}).flatMap(([event, groups]) => groups.map((g) => hookKey(event, g)));
    for (const key of new Set(this.userHooks)) expect(count(key, present), `user hook ${key}`).toBeGreaterThanOrEqual(count(key, this.userHooks));
    for (const key of new Set(this.desiredHooks())) expect(count(key, present), `dp hook ${key}`).toBeLessThanOrEqual(count(key, this.userHooks) + 1);
    // A hook of a persona no longer active, or of an earlier version, is gone (but for the user's copies).
    const desired = new Set(this.desiredHooks());
    for (const key of new Set(present.filter((k) => k.includes('node hooks/') && !desired.has(k)))) expect(count(key, present), `old dp hook ${key}`).toBe(count(key, this.userHooks));
    if (hasShared && this.read(SETTINGS_PATH) !== null) expect(settingsSchemaErrors(settings)).toEqual([]);
  }

  step(op: Op): void {
    switch (op.kind) {
      case 'apply': {
        const removing = this.active.some((id) => !op.active.includes(id)) || (this.level !== op.level && this.active.includes('gamma'));
        this.active = op.active;
        this.level = op.level;
        return this.dp(op.markers, removing, op.during);
      }
      case 'upgrade':
        this.version += 1;
        return this.dp(op.markers, false, op.during);
      case 'crlf': {
        const file = SECTION_FILES[op.file % SECTION_FILES.length]!;
        const text = this.read(file);
        if (text !== null) this.write(file, text.replace(/\r?\n/g, '\r\n'));
        return;
      }
      case 'deleteSettings':
        // Everything the user wrote in it goes with it.
        rmSync(join(this.dir, SETTINGS_PATH), { force: true });
        this.userRules = [];
        this.userHooks = [];
        this.userEnv.clear();
        return;
      case 'editLine': {
        const files = this.managedFiles();
        if (files.length === 0) return;
        const path = files[op.pick % files.length]!;
        const text = this.read(path)!.split('\n');
        const at = op.line % text.length;
        const line = this.token();
        // Replacing a line the user wrote earlier would delete their own words: insert instead.
        const ownLine = [...(this.userLines.get(path) ?? [])].some((l) => text[at] === l);
        text.splice(at, op.replace && !ownLine ? 1 : 0, line);
        this.write(path, text.join('\n'));
        return this.remember(path, line);
      }
      case 'claudeText': {
        const line = this.token();
        const file = SECTION_FILES[op.file % SECTION_FILES.length]!;
        const text = this.read(file) ?? '';
        const end = op.finalNewline ? '\n' : '';
        this.write(file, op.top ? `${line}\n${text}` : `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${line}${end}`);
        return this.remember(file, line);
      }
      case 'editSection': {
        const file = SECTION_FILES[op.file % SECTION_FILES.length]!;
        const text = this.read(file);
        if (!text) return;
        const spans = parseSections(text, file);
        if (spans.length === 0) return;
        const span = spans[op.pick % spans.length]!;
        const body = text.slice(span.bodyStart, span.bodyEnd).split('\n');
        const line = this.token();
        body.splice(op.line % body.length, 0, line);
        this.write(file, text.slice(0, span.bodyStart) + body.join('\n') + text.slice(span.bodyEnd));
        return this.remember(file, line);
      }
      case 'userRule': {
        const settings = this.settings();
        const rule = `Bash(${this.token().toLowerCase()})`;
        settings.permissions = { ...settings.permissions, [op.list]: [...(settings.permissions?.[op.list] ?? []), rule] };
        this.write(SETTINGS_PATH, JSON.stringify(settings, null, 2));
        this.userRules.push({ list: op.list, rule });
        return;
      }
      case 'dropDpRule': {
        const settings = this.settings();
        const ours = this.desired().flatMap((p) => p.permissions[op.list]).filter((r) => settings.permissions?.[op.list]?.includes(r));
        if (ours.length === 0) return;
        const rule = ours[op.pick % ours.length]!;
        settings.permissions![op.list] = settings.permissions![op.list]!.filter((r) => r !== rule);
        this.write(SETTINGS_PATH, JSON.stringify(settings, null, 2));
        return;
      }
      case 'userHook': {
        const settings = this.settings();
        // A copy of one of dp's hooks that is in the file now. (A copy written where dp's is missing, e.g. into a
        // settings.json the user deleted and wrote anew before dp ran again, reads exactly as dp's own recorded
        // hook: dp takes it out with its persona, since it runs dp's script, which goes too.)
        const present = new Set(Object.entries(settings.hooks ?? {}).flatMap(([event, groups]) => groups.map((g) => hookKey(event, g))));
        const desired = this.desired().flatMap((p) => p.hooks).filter((h) => present.has(hookKey(h.event, hookGroup(h))));
        const hook = op.identical && desired.length > 0 ? desired[op.pick % desired.length]! : { event: 'PreToolUse', matcher: 'Read', command: `${this.token()}.sh`, timeout: 5 };
        const group = hookGroup(hook);
        settings.hooks = { ...settings.hooks, [hook.event]: [...(settings.hooks?.[hook.event] ?? []), group] };
        this.write(SETTINGS_PATH, JSON.stringify(settings, null, 2));
        this.userHooks.push(hookKey(hook.event, group));
        return;
      }
      case 'dropDpHook': {
        const settings = this.settings();
        const keys = Object.entries(settings.hooks ?? {}).flatMap(([event, groups]) => groups.map((g) => hookKey(event, g)));
        // One of dp's own copies: present more often than the user put it there.
        const ours = [...new Set(this.desiredHooks())].filter((key) => keys.filter((k) => k === key).length > this.userHooks.filter((k) => k === key).length);
        if (ours.length === 0) return;
        const [event, json] = ours[op.pick % ours.length]!.split('\u0000') as [string, string];
        const groups = settings.hooks![event]!;
        groups.splice(groups.findIndex((g) => JSON.stringify(g) === json), 1);
        this.write(SETTINGS_PATH, JSON.stringify(settings, null, 2));
        return;
      }
      case 'userEnv': {
        const settings = this.settings();
        const key = this.token().replace('-', '_');
        settings.env = { ...settings.env, [key]: 'mine' };
        this.write(SETTINGS_PATH, JSON.stringify(settings, null, 2));
        this.userEnv.set(key, 'mine');
        return;
      }
      case 'changeDpEnv': {
        const settings = this.settings();
        const keys = Object.keys(settings.env ?? {}).filter((k) => !this.userEnv.has(k));
        if (keys.length === 0) return;
        const key = keys[op.pick % keys.length]!;
        const value = `mine-${this.token()}`;
        settings.env![key] = value;
        this.write(SETTINGS_PATH, JSON.stringify(settings, null, 2));
        this.userEnv.set(key, value);
        return;
      }
      case 'deleteFile': {
        const files = this.managedFiles();
        if (files.length === 0) return;
        const path = files[op.pick % files.length]!;
        rmSync(join(this.dir, path));
        // The user deleted their own lines with it: nothing of theirs is expected there any more.
        this.userLines.delete(path);
        return;
      }
    }
  }
}

describe('never lose a byte (randomized)', () => {
  it(`holds over ${RUNS} random sequences of edits, upgrades and persona changes`, () => {
    fc.assert(
      fc.property(fc.constantFrom(...TARGETS), fc.array(opArb, { minLength: 1, maxLength: 14 }), (targets, ops) => {
        const repo = new Repo(targets);
        try {
          for (const op of ops) repo.step(op);
        } finally {
          rmSync(repo.dir, { recursive: true, force: true });
        }
      }),
      { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
  });

  it('leaves no temporary files behind', () => {
    const repo = new Repo();
    try {
      const quiet = { claude: false, settings: false };
      for (const op of [{ kind: 'apply', active: ['alpha', 'gamma'], level: 'high', markers: false, during: quiet }, { kind: 'upgrade', markers: true, during: quiet }] as Op[]) repo.step(op);
      expect(listFiles(repo.dir).filter((path) => path.endsWith('.tmp'))).toEqual([]);
      expect(listFiles(repo.dir)).toContain('files/gamma/high.md');
    } finally {
      rmSync(repo.dir, { recursive: true, force: true });
    }
  });
});
