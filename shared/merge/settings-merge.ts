// Merging personas' permissions and env into .claude/settings.json.
// - allow/ask/deny are sets: the user's rules and order are kept, persona rules are appended;
// - dp records which entries it added (SettingsOwnership) so that removing or switching a persona takes
//   back exactly those, and never an entry the user wrote;
// - an entry the user deleted is not added back (declined);
// - deny wins: a rule that is denied is not added to allow or ask;
// - env values are per key; a value the user changed becomes the user's;
// - hooks and the status line follow the same rules (settings-hooks.ts).
import type { PermissionSet } from '../persona/schema.js';
import type { Settings } from './settings-file.js';
import { mergeHooks, type HookContribution, type HookDeclined, type HookOwnership } from './settings-hooks.js';

const RULE_LISTS = ['deny', 'ask', 'allow'] as const;
export type RuleList = (typeof RULE_LISTS)[number];

export interface SettingsOwnership extends HookOwnership {
  /** Rules dp added, with the personas that want them. */
  rules: Record<RuleList, Record<string, string[]>>;
  /** Env keys dp added: the value it wrote and the personas that want it. */
  env: Record<string, { value: string; personas: string[] }>;
  /** Entries dp added that the user has since removed: not added again while a persona still wants them. */
  declined: { rules: Record<RuleList, string[]>; env: string[] } & HookDeclined;
  /** dp created the settings file, so it may delete it once nothing is left in it. */
  createdFile?: boolean;
  /** Containers dp created ('permissions', 'permissions.allow', 'env'...), removed again once empty. */
  created?: string[];
}

export interface SettingsContribution extends HookContribution {
  persona: string;
  permissions: PermissionSet;
  env: Record<string, string>;
}

export function emptyOwnership(): SettingsOwnership {
  return { rules: { deny: {}, ask: {}, allow: {} }, env: {}, declined: { rules: { deny: [], ask: [], allow: [] }, env: [] } };
}

export interface SettingsMergeResult {
  settings: Settings;
  ownership: SettingsOwnership;
  /** Things the user should know (a rule skipped because it is denied, a value kept because the user changed it). */
  notes: string[];
}

function wantedRules(contributions: SettingsContribution[], list: RuleList): Map<string, string[]> {
  const wanted = new Map<string, string[]>();
  for (const c of contributions) {
    for (const rule of c.permissions[list]) wanted.set(rule, [...(wanted.get(rule) ?? []), c.persona]);
  }
  return wanted;
}

function wantedEnv(contributions: SettingsContribution[], notes: string[]): Map<string, { value: string; personas: string[] }> {
  const wanted = new Map<string, { value: string; personas: string[] }>();
  for (const c of contributions) {
    for (const [key, value] of Object.entries(c.env)) {
      const existing = wanted.get(key);
      if (!existing) wanted.set(key, { value, personas: [c.persona] });
      else if (existing.value === value) existing.personas.push(c.persona);
      else notes.push(`env ${key}: ${c.persona} wants "${value}", ${existing.personas[0]} wants "${existing.value}"; keeping "${existing.value}"`);
    }
  }
  return wanted;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function mergeSettings(current: Settings | null, contributions: SettingsContribution[], previous: SettingsOwnership): SettingsMergeResult {
  const settings: Settings = structuredClone(current ?? {});
  const ownership = emptyOwnership();
  const notes: string[] = [];
  // Containers dp created (and that still exist) are dp's to remove again once empty.
  const created = new Set((previous.created ?? []).filter((path) => containerExists(settings, path)));

  const hadPermissions = isPlainObject(settings.permissions);
  const permissions: Record<string, unknown> = hadPermissions ? (settings.permissions as Record<string, unknown>) : {};
  const denied = new Set<string>();

  for (const list of RULE_LISTS) {
    const container = `permissions.${list}`;
    const existed = Array.isArray(permissions[list]);
    const rules = existed ? [...(permissions[list] as string[])] : [];
    const present = new Set(rules);
    const wanted = wantedRules(contributions, list);
    const declined = new Set(previous.declined.rules[list]);
    const owned = previous.rules[list];
    const removed = new Set<string>();

    for (const [rule] of Object.entries(owned)) {
      if (!present.has(rule)) {
        // The user deleted a rule dp added. Allow and ask rules stay deleted; deny rules of active
        // personas come back (dp never drops a deny rule: remove the persona to drop its rules).
        if (!wanted.has(rule)) continue;
        if (list === 'deny') {
          rules.push(rule);
          ownership.rules.deny[rule] = wanted.get(rule)!;
          notes.push(`deny ${rule}: added back; the deny rules of an active persona stay`);
        } else {
          declined.add(rule);
          notes.push(`${list} ${rule}: you removed it, so dp does not add it back`);
        }
      } else if (!wanted.has(rule)) {
        removed.add(rule);
      } else {
        ownership.rules[list][rule] = wanted.get(rule)!;
      }
    }
    for (const [rule, personas] of wanted) {
      if (rule in owned || present.has(rule) || declined.has(rule)) continue;
      if (list !== 'deny' && denied.has(rule)) {
        notes.push(`${list} ${rule}: not added, the same rule is denied (deny wins)`);
        continue;
      }
      rules.push(rule);
      ownership.rules[list][rule] = personas;
    }
    ownership.declined.rules[list] = [...declined].filter((rule) => wanted.has(rule)).sort();

    const kept = rules.filter((rule) => !removed.has(rule));
    if (!existed && kept.length > 0) created.add(container);
    if (kept.length > 0 || (existed && !created.has(container))) permissions[list] = kept;
    else {
      delete permissions[list];
      created.delete(container);
    }
    if (list === 'deny') for (const rule of kept) denied.add(rule);
  }
  // The lists were visited deny-first; a new permissions object lists them in the order people read them.
  const ordered = hadPermissions ? permissions : reorderLists(permissions);
  if (!hadPermissions && Object.keys(ordered).length > 0) created.add('permissions');
  if (Object.keys(ordered).length > 0 || (hadPermissions && !created.has('permissions'))) settings.permissions = ordered;
  else {
    delete settings.permissions;
    created.delete('permissions');
  }

  mergeEnv(settings, contributions, previous, ownership, notes, created);
  const hooks = mergeHooks(settings, contributions, { ownership: previous, declined: previous.declined }, notes, created);
  Object.assign(ownership, hooks.ownership);
  Object.assign(ownership.declined, hooks.declined);
  if (created.size > 0) ownership.created = [...created].sort();
  return { settings, ownership, notes };
}

function containerExists(settings: Settings, path: string): boolean {
  const [top, list] = path.split('.');
  const value = settings[top!];
  if (!isPlainObject(value)) return false;
  return list === undefined || Array.isArray(value[list]);
}

function reorderLists(permissions: Record<string, unknown>): Record<string, unknown> {
  const ordered: Record<string, unknown> = {};
  for (const list of ['allow', 'ask', 'deny']) if (list in permissions) ordered[list] = permissions[list];
  return ordered;
}

function mergeEnv(
  settings: Settings,
  contributions: SettingsContribution[],
  previous: SettingsOwnership,
  ownership: SettingsOwnership,
  notes: string[],
  created: Set<string>,
): void {
  const hadEnv = isPlainObject(settings.env);
  const env: Record<string, string> = hadEnv ? (settings.env as Record<string, string>) : {};
  const wanted = wantedEnv(contributions, notes);
  const declined = new Set(previous.declined.env);

  for (const [key, owned] of Object.entries(previous.env)) {
    if (!(key in env)) {
      if (wanted.has(key)) {
        declined.add(key);
        notes.push(`env ${key}: you removed it, so dp does not add it back`);
      }
    } else if (env[key] !== owned.value) {
      notes.push(`env ${key}: you changed it to "${env[key]}"; it is yours now`);
    } else if (!wanted.has(key)) {
      delete env[key];
    } else {
      const next = wanted.get(key)!;
      env[key] = next.value;
      ownership.env[key] = { value: next.value, personas: next.personas };
    }
  }
  for (const [key, next] of wanted) {
    if (key in previous.env || key in env || declined.has(key)) continue;
    env[key] = next.value;
    ownership.env[key] = { value: next.value, personas: next.personas };
  }
  ownership.declined.env = [...declined].filter((key) => wanted.has(key)).sort();

  if (!hadEnv && Object.keys(env).length > 0) created.add('env');
  if (Object.keys(env).length > 0 || (hadEnv && !created.has('env'))) settings.env = env;
  else {
    delete settings.env;
    created.delete('env');
  }
}
