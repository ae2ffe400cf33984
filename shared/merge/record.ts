// .claude/persona.json: which personas are active, their merged configuration, and what dp wrote
// (settings entries, sections and files, each file with its pristine content as the base of the next
// three-way merge). It is written last in a run, so it always describes files already on disk.
import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { z } from 'zod';
import { DpError } from '../errors.js';
import { formatIssuePath } from '../persona/schema.js';
import { isRepositoryPath } from './paths.js';
import { emptyOwnership, type SettingsOwnership } from './settings-merge.js';

export const RECORD_PATH = '.claude/persona.json';

const ruleMap = z.record(z.string(), z.array(z.string()));
const ownershipSchema = z.object({
  rules: z.object({ deny: ruleMap, ask: ruleMap, allow: ruleMap }),
  env: z.record(z.string(), z.object({ value: z.string(), personas: z.array(z.string()) })),
  declined: z.object({ rules: z.object({ deny: z.array(z.string()), ask: z.array(z.string()), allow: z.array(z.string()) }), env: z.array(z.string()) }),
  createdFile: z.boolean().optional(),
  /** Containers dp created (permissions, permissions.allow, env...): removed again once empty. */
  created: z.array(z.string()).optional(),
});

const managedContent = z.object({
  persona: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** The content dp last generated, raw deflate + base64 (no header, so the same on every OS). */
  base: z.string(),
});

const recordSchema = z.object({
  /** Present only in the intent written before settings.json (intent.ts). */
  pendingSettings: z.object({ sha256: z.string().nullable(), ownershipBefore: ownershipSchema }).optional(),
  generator: z.literal('generator-dp'),
  version: z.string().regex(/^\d+\.\d+\.\d+/),
  active: z.array(z.object({ id: z.string(), displayName: z.string(), level: z.string().optional(), custom: z.boolean().optional() })),
  configuration: z.object({
    permissions: z.object({ allow: z.array(z.string()), ask: z.array(z.string()), deny: z.array(z.string()) }),
    env: z.record(z.string(), z.string()),
    commands: z.array(z.string()),
    tools: z.array(z.string()),
  }),
  managed: z.object({
    settings: ownershipSchema,
    sections: z.record(z.string(), managedContent.extend({ file: z.string(), addedNewline: z.boolean().optional() })),
    files: z.record(z.string(), managedContent.extend({ executable: z.boolean() })),
  }),
});

export type PersonaRecord = z.infer<typeof recordSchema>;

export function emptyRecord(version: string): PersonaRecord {
  return {
    generator: 'generator-dp',
    version,
    active: [],
    configuration: { permissions: { allow: [], ask: [], deny: [] }, env: {}, commands: [], tools: [] },
    managed: { settings: emptyOwnership() as SettingsOwnership, sections: {}, files: {} },
  };
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).slice(0, 3).map(Number);
  const pb = b.split(/[.-]/).slice(0, 3).map(Number);
  for (let i = 0; i < 3; i += 1) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

const CORRUPT_HINT = `restore ${RECORD_PATH} from version control (git checkout -- ${RECORD_PATH}); dp changed nothing`;

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
  const parsed = recordSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DpError(`${RECORD_PATH} is corrupt: ${formatIssuePath(issue.path) || 'top level'}: ${issue.message}`, CORRUPT_HINT);
  }
  const outside = [...Object.keys(parsed.data.managed.files), ...Object.values(parsed.data.managed.sections).map((s) => s.file)].find((path) => !isRepositoryPath(path));
  if (outside !== undefined) {
    throw new DpError(`${RECORD_PATH} names a file outside this repository: ${JSON.stringify(outside)}`, `dp only writes inside the repository; ${CORRUPT_HINT}`);
  }
  if (compareVersions(parsed.data.version, ourVersion) > 0) {
    throw new DpError(
      `${RECORD_PATH} was written by generator-dp ${parsed.data.version}, newer than this ${ourVersion}`,
      `upgrade first: npm install -D generator-dp@${parsed.data.version} (or newer); dp changed nothing`,
    );
  }
  return parsed.data;
}

export function serializeRecord(record: PersonaRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function packBase(text: string): string {
  return deflateRawSync(Buffer.from(text, "utf8"), { level: 9 }).toString('base64');
}

export function unpackBase(packed: string): string {
  return inflateRawSync(Buffer.from(packed, 'base64')).toString('utf8');
}
