// Merging personas' hooks and status line into .claude/settings.json, by the rules permissions follow
// (settings-merge.ts):
// - a hook is one matcher group dp appends to `hooks.<Event>` ({matcher, hooks: [{type, command, timeout}]});
//   the user's groups, their order and their format stay; dp owns exactly the groups it added (recorded
//   per entry), so a re-run adds nothing twice and a removal takes back only those;
// - a group the user already has, identical, is theirs: dp does not claim it (nor remove it later);
// - a group dp added that the user deleted is not added back (declined), as for allow and ask rules;
// - `statusLine` is a single setting: dp sets it only where there is none, never replaces the user's,
//   and takes back only the value it wrote.
import type { DesiredHook } from './model.js';
import type { Settings } from './settings-file.js';

export interface HookGroup {
  matcher?: string;
  hooks: Array<{ type: 'command'; command: string; timeout: number }>;
}

export interface OwnedHook {
  event: string;
  entry: HookGroup;
  personas: string[];
}

export interface StatusLineSetting {
  type: 'command';
  command: string;
  refreshInterval?: number;
}

export interface HookOwnership {
  hooks?: OwnedHook[];
  statusLine?: { value: StatusLineSetting; personas: string[] };
}

export interface HookDeclined {
  hooks?: Array<{ event: string; entry: HookGroup }>;
  statusLine?: boolean;
}

export interface HookContribution {
  persona: string;
  hooks?: DesiredHook[];
  statusLine?: string;
}

/** GPU figures change while the conversation is idle: re-rendered on this timer too (seconds). */
const STATUS_LINE_REFRESH_S = 5;

export function hookGroup(hook: DesiredHook): HookGroup {
  return { ...(hook.matcher !== undefined ? { matcher: hook.matcher } : {}), hooks: [{ type: 'command', command: hook.command, timeout: hook.timeout }] };
}

export function statusLineSetting(command: string): StatusLineSetting {
  return { type: 'command', command, refreshInterval: STATUS_LINE_REFRESH_S };
}

const keyOf = (event: string, entry: unknown) => `${event}\u0000${JSON.stringify(entry)}`;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeHook(event: string, entry: HookGroup): string {
  return `hook ${event}${entry.matcher ? `(${entry.matcher})` : ''} ${entry.hooks[0]?.command ?? ''}`;
}

/** The group holding dp's hook command after the user edited the group (added a hook of theirs, changed the timeout). */
function editedGroupWith(groups: unknown[], command: string): Record<string, unknown> | undefined {
  return groups.find((group): group is Record<string, unknown> => isPlainObject(group) && Array.isArray(group.hooks) && group.hooks.some((h) => isPlainObject(h) && h.command === command));
}

interface Owned {
  ownership: HookOwnership;
  declined: HookDeclined;
}

/**
 * Merge the wanted hooks and status line into `settings` (changed in place). `created` holds the
 * containers dp created ('hooks', 'hooks.PreToolUse'), removed again once empty.
 */
export function mergeHooks(settings: Settings, contributions: HookContribution[], previous: Owned, notes: string[], created: Set<string>): Owned {
  const result: Owned = { ownership: {}, declined: {} };
  mergeHookGroups(settings, contributions, previous, result, notes, created);
  mergeStatusLine(settings, contributions, previous, result, notes);
  return result;
}

function mergeHookGroups(settings: Settings, contributions: HookContribution[], previous: Owned, result: Owned, notes: string[], created: Set<string>): void {
  const wanted = new Map<string, OwnedHook>();
  for (const c of contributions) {
    for (const hook of c.hooks ?? []) {
      const entry = hookGroup(hook);
      const key = keyOf(hook.event, entry);
      const existing = wanted.get(key);
      if (existing) existing.personas.push(c.persona);
      else wanted.set(key, { event: hook.event, entry, personas: [c.persona] });
    }
  }
  const hadHooks = isPlainObject(settings.hooks);
  const hooks: Record<string, unknown> = hadHooks ? (settings.hooks as Record<string, unknown>) : {};
  const groupsOf = (event: string): unknown[] | undefined => (Array.isArray(hooks[event]) ? (hooks[event] as unknown[]) : undefined);
  const isPresent = (event: string, entry: HookGroup) => (groupsOf(event) ?? []).some((group) => same(group, entry));
  const declined = new Set((previous.declined.hooks ?? []).map((d) => keyOf(d.event, d.entry)));
  const owned: OwnedHook[] = [];
  const ownedKeys = new Set<string>();

  for (const hook of previous.ownership.hooks ?? []) {
    const key = keyOf(hook.event, hook.entry);
    ownedKeys.add(key);
    const command = hook.entry.hooks[0]!.command;
    const edited = isPresent(hook.event, hook.entry) ? undefined : editedGroupWith(groupsOf(hook.event) ?? [], command);
    if (edited) {
      // The user edited the group dp added: their edit stays while dp wants the hook. Once it does not, only dp's
      // hook leaves the group (its script leaves with the persona, so a hook left behind would fail on every call).
      const stillWanted = [...wanted].find(([, w]) => w.event === hook.event && w.entry.hooks[0]!.command === command);
      if (stillWanted) {
        ownedKeys.add(stillWanted[0]);
        owned.push({ ...stillWanted[1], entry: hook.entry });
      } else {
        const list = edited.hooks as unknown[];
        list.splice(list.findIndex((h) => isPlainObject(h) && h.command === command), 1);
        if (list.length === 0) groupsOf(hook.event)!.splice(groupsOf(hook.event)!.indexOf(edited), 1);
        else notes.push(`${describeHook(hook.event, hook.entry)}: taken out of the hook group you edited; your hooks in it stay`);
      }
    } else if (!isPresent(hook.event, hook.entry)) {
      if (wanted.has(key)) {
        declined.add(key);
        notes.push(`${describeHook(hook.event, hook.entry)}: you removed it, so dp does not add it back`);
      }
    } else if (!wanted.has(key)) {
      const groups = groupsOf(hook.event)!;
      groups.splice(groups.findIndex((group) => same(group, hook.entry)), 1);
    } else {
      owned.push({ ...hook, personas: wanted.get(key)!.personas });
    }
  }
  for (const [key, hook] of wanted) {
    if (ownedKeys.has(key) || declined.has(key) || isPresent(hook.event, hook.entry)) continue;
    if (!groupsOf(hook.event)) {
      hooks[hook.event] = [];
      created.add(`hooks.${hook.event}`);
    }
    groupsOf(hook.event)!.push(hook.entry);
    owned.push(hook);
  }
  // Event lists dp created and left empty go, then the hooks object itself.
  for (const path of [...created].filter((p) => p.startsWith('hooks.'))) {
    const event = path.slice('hooks.'.length);
    if (groupsOf(event)?.length === 0) {
      delete hooks[event];
      created.delete(path);
    }
  }
  if (!hadHooks && Object.keys(hooks).length > 0) created.add('hooks');
  if (Object.keys(hooks).length > 0 || (hadHooks && !created.has('hooks'))) settings.hooks = hooks;
  else {
    delete settings.hooks;
    created.delete('hooks');
  }

  if (owned.length > 0) result.ownership.hooks = owned;
  const stillDeclined = [...wanted].filter(([key]) => declined.has(key)).map(([, hook]) => ({ event: hook.event, entry: hook.entry }));
  if (stillDeclined.length > 0) result.declined.hooks = stillDeclined;
}

function mergeStatusLine(settings: Settings, contributions: HookContribution[], previous: Owned, result: Owned, notes: string[]): void {
  const wanters = contributions.filter((c) => c.statusLine !== undefined);
  const wanted = wanters[0] ? { value: statusLineSetting(wanters[0].statusLine!), personas: wanters.map((c) => c.persona) } : undefined;
  const current = settings.statusLine;
  const owned = previous.ownership.statusLine;
  let declined = previous.declined.statusLine === true;

  if (owned) {
    if (current === undefined) {
      if (wanted && !declined) notes.push('statusLine: you removed it, so dp does not add it back');
      declined = wanted !== undefined;
    } else if (!same(current, owned.value)) {
      notes.push('statusLine: you changed it; it is yours now');
    } else if (!wanted) {
      delete settings.statusLine;
    } else {
      settings.statusLine = wanted.value;
      result.ownership.statusLine = wanted;
    }
  } else if (wanted && !declined) {
    if (current === undefined) {
      settings.statusLine = wanted.value;
      result.ownership.statusLine = wanted;
    } else if (!same(current, wanted.value)) {
      notes.push(`statusLine: you have your own, so dp kept it; to show the GPU status line instead, set "statusLine" in .claude/settings.json to ${JSON.stringify(wanted.value)}`);
    }
  }
  if (wanted && declined) result.declined.statusLine = true;
}
