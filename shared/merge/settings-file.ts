// Reading .claude/settings.json the way Claude Code does: strict JSON, and a value the schema rejects
// makes Claude Code skip the whole file. So dp refuses to touch a file it cannot read or that is
// already invalid, and says where the problem is. Facts: ../shared/research/claude-code.md §1.
import type { z as Zod } from 'zod';
import { DpError } from '../errors.js';
import { isValidRule } from '../persona/rules.js';
import { formatIssuePath, issueMessage } from '../persona/schema.js';
import { zod } from '../zod.js';
import { duplicateKey, looseJsonProblem, writesEachKeyOnce } from './settings-syntax.js';

export const SETTINGS_PATH = '.claude/settings.json';

export type Settings = Record<string, unknown>;

/** The parts of the Claude Code settings schema that dp reads or writes, built on first use (zod loads then). */
function buildSettingsSchema(z: typeof Zod) {
  const ruleList = z
    .array(z.string().refine(isValidRule, { error: (issue) => `${JSON.stringify(issue.input)} is not a valid permission rule` }))
    .refine((rules) => new Set(rules).size === rules.length, 'lists the same rule twice (the schema requires unique items)');

  return z.looseObject({
    permissions: z
      .strictObject({
        allow: ruleList.optional(),
        ask: ruleList.optional(),
        deny: ruleList.optional(),
        defaultMode: z.enum(['acceptEdits', 'bypassPermissions', 'default', 'delegate', 'dontAsk', 'plan', 'auto', 'manual']).optional(),
        disableBypassPermissionsMode: z.literal('disable').optional(),
        disableAutoMode: z.literal('disable').optional(),
        additionalDirectories: z.array(z.string().min(1)).optional(),
      })
      .optional(),
    env: z.record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'not a valid variable name (^[A-Z_][A-Z0-9_]*$)'), z.string({ error: 'must be a string' })).optional(),
    // dp appends its groups to these lists: each event holds a list of matcher groups, each with its hooks.
    hooks: z.record(z.string(), z.array(z.looseObject({ hooks: z.array(z.looseObject({ type: z.string() })) }), { error: 'must be a list of matcher groups ({"matcher": ..., "hooks": [...]})' })).optional(),
    statusLine: z.looseObject({ type: z.literal('command'), command: z.string() }).optional(),
  });
}

let settingsSchema: ReturnType<typeof buildSettingsSchema> | undefined;

const DEFAULT_MODES = new Set(['acceptEdits', 'bypassPermissions', 'default', 'delegate', 'dontAsk', 'plan', 'auto', 'manual']);
const PERMISSION_KEYS = new Set(['allow', 'ask', 'deny', 'defaultMode', 'disableBypassPermissionsMode', 'disableAutoMode', 'additionalDirectories']);
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isRuleList = (value: unknown) => Array.isArray(value) && value.every((rule) => typeof rule === 'string' && isValidRule(rule)) && new Set(value).size === value.length;

function fitsPermissions(permissions: Record<string, unknown>): boolean {
  const { allow, ask, deny, defaultMode, disableBypassPermissionsMode, disableAutoMode, additionalDirectories: directories } = permissions;
  return (
    Object.keys(permissions).every((key) => PERMISSION_KEYS.has(key)) &&
    [allow, ask, deny].every((list) => list === undefined || isRuleList(list)) &&
    (defaultMode === undefined || (typeof defaultMode === 'string' && DEFAULT_MODES.has(defaultMode))) &&
    [disableBypassPermissionsMode, disableAutoMode].every((flag) => flag === undefined || flag === 'disable') &&
    (directories === undefined || (Array.isArray(directories) && directories.every((dir) => typeof dir === 'string' && dir.length >= 1)))
  );
}

/**
 * Whether buildSettingsSchema's schema accepts `data`, written out by hand: a run on a repository that has a
 * settings.json checks it without loading and compiling zod. Only a file this does not accept goes through
 * the zod schema, whose first issue is the message (test/merge/settings-fast-check.test.ts holds the two together).
 */
export function fitsSettingsSchema(data: Record<string, unknown>): boolean {
  const { permissions, env, hooks, statusLine } = data;
  return (
    (permissions === undefined || (isObject(permissions) && fitsPermissions(permissions))) &&
    (env === undefined || (isObject(env) && Object.entries(env).every(([name, value]) => ENV_NAME.test(name) && typeof value === 'string'))) &&
    (hooks === undefined ||
      (isObject(hooks) &&
        Object.values(hooks).every(
          (groups) => Array.isArray(groups) && groups.every((group) => isObject(group) && Array.isArray(group.hooks) && group.hooks.every((hook) => isObject(hook) && typeof hook.type === 'string')),
        ))) &&
    (statusLine === undefined || (isObject(statusLine) && statusLine.type === 'command' && typeof statusLine.command === 'string'))
  );
}

/** The zod schema's verdict, for the test that holds fitsSettingsSchema to it. */
export function settingsSchemaAccepts(data: unknown): boolean {
  settingsSchema ??= buildSettingsSchema(zod());
  return settingsSchema.safeParse(data).success;
}

const REFUSAL_HINT = 'Claude Code skips a settings file it cannot parse; fix it (strict JSON) and run again. dp did not change it';

/** Parse and check settings text; `file` names it in errors. */
export function parseSettings(text: string, file: string): Settings {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const loose = looseJsonProblem(text);
    if (loose) throw new DpError(`${file} ${loose.what} on line ${loose.line}: settings files are strict JSON`, REFUSAL_HINT);
    throw new DpError(`${file} is not valid JSON (${(error as Error).message})`, REFUSAL_HINT);
  }
  const duplicate = writesEachKeyOnce(text, data) ? null : duplicateKey(text);
  if (duplicate) {
    const where = duplicate.where ? `in ${JSON.stringify(duplicate.where)}` : 'at the top level';
    throw new DpError(
      `${file} line ${duplicate.line}: the key ${JSON.stringify(duplicate.key)} appears twice ${where} (JSON keeps only the last one)`,
      `Claude Code reads only the last one; merge the two into one and run again. dp did not change the file`,
    );
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new DpError(`${file} must hold a JSON object`, REFUSAL_HINT);
  }
  if (fitsSettingsSchema(data as Record<string, unknown>)) return data as Settings;
  settingsSchema ??= buildSettingsSchema(zod());
  const checked = settingsSchema.safeParse(data);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new DpError(
      `${file}: ${formatIssuePath(issue.path)}: ${issueMessage(issue)}`,
      'Claude Code ignores the whole file while it holds an invalid value; fix that value and run again. dp did not change the file',
    );
  }
  return data as Settings;
}

/** 2-space JSON with a final newline, the format Claude Code and dp write. */
export function serializeSettings(settings: Settings): string {
  return `${JSON.stringify(settings, null, 2)}\n`;
}
