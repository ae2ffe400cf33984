// The persona model. A built-in persona is data (personas/<id>/persona.json); a user's own persona is
// the seed format (profiles/personas/<id>.json). Both validate here and normalise to one Persona.
import type { z as Zod } from 'zod';
import { HOOK_EVENTS } from '../hooks/events.js';
import { isBlanketAllow, isValidRule } from './rules.js';
import { zod } from '../zod.js';

const PERSONA_ID = /^[a-z][a-z0-9-]{0,63}$/;
/**
 * A workflow's or subagent's name: the folder of `.claude/skills/<name>/SKILL.md` (the invocation name) or the
 * basename of `.claude/agents/<name>.md`. The Agent Skills standard's rule: lower-case letters, digits and single
 * dashes, at most 64 characters, no dash first or last. Claude Code itself checks none of it.
 */
export const WORKFLOW_NAME = /^(?=.{1,64}$)[a-z0-9]+(-[a-z0-9]+)*$/;
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** The schemas, built on first use (shared/zod.ts: a command that validates nothing does not load zod). */
function buildSchemas(z: typeof Zod) {
  const id = z.string().regex(PERSONA_ID, 'must be lower-case letters, digits and dashes, starting with a letter');

  const rule = z
    .string()
    .refine((value) => value !== 'bypassPermissions', 'bypassPermissions turns every permission check off; dp never writes it')
    .refine(isValidRule, { error: (issue) => `${JSON.stringify(issue.input)} is not a Claude Code permission rule: write Tool or Tool(specifier), e.g. Bash(npm test)` });

  const allowRule = rule.refine((value) => !isBlanketAllow(value), {
    error: (issue) => `${JSON.stringify(issue.input)} allows every command: allow the specific commands instead, e.g. Bash(npm test)`,
  });

  const envName = z.string().regex(ENV_NAME, 'environment variable names must match ^[A-Z_][A-Z0-9_]*$ (e.g. MY_VAR)');
  const env = z.record(envName, z.string({ error: 'environment values must be strings (write "1", not 1)' }));

  /** Only the three rule lists; `defaultMode` is named so the refusal says why. */
  const defaultMode = z.unknown().refine(() => false, 'personas do not set permissions.defaultMode (bypassPermissions and auto are never written)');

  const permissions = z.strictObject({
    allow: z.array(allowRule).default([]),
    ask: z.array(rule).default([]),
    deny: z.array(rule).default([]),
    defaultMode: defaultMode.optional(),
  });

  /** A user's own command file name (`.claude/commands/sets/<id>/<name>.md`): no path separators or dots. */
  const commandName = z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'command names are lower-case letters, digits and dashes: no slashes, dots or "..", which would leave the commands folder');
  const workflowName = z.string().regex(WORKFLOW_NAME, 'names are lower-case letters, digits and single dashes (at most 64, no dash first or last): no slashes, dots or ".."');

  /** A path inside the repository, relative, without `..`. */
  const repoPath = z
    .string()
    .min(1)
    .refine((p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..') && !p.includes('\\'), 'must be a relative path inside the repository (no leading /, no ..)');

  const levelName = z.string().regex(/^[a-z0-9][a-z0-9-]*$/);

  /** A hook script bundled from shared/hooks/<script>.ts and installed as .claude/hooks/<script>.mjs. */
  const hookScript = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'hook scripts are named by lower-case letters, digits and dashes (shared/hooks/<name>.ts)');

  /** A hook entry written into .claude/settings.json `hooks`. */
  const hook = z.strictObject({
    event: z.enum(HOOK_EVENTS, { error: (issue) => `${JSON.stringify(issue.input)} is not a Claude Code hook event (one of ${HOOK_EVENTS.join(', ')})` }),
    /** The tool name pattern (tool events), e.g. "Bash" or "Edit|Write"; omitted means every one. */
    matcher: z.string().min(1).optional(),
    script: hookScript,
    /** Seconds Claude Code waits before it gives up on the hook (its own default is 600). */
    timeout: z.int('must be a whole number of seconds').min(1).max(600).default(10),
  });

  const level = z.strictObject({
    displayName: z.string().min(1),
    description: z.string().min(1),
    permissions: permissions.default({ allow: [], ask: [], deny: [] }),
    env: env.default({}),
    workflows: z.array(workflowName).default([]),
    hooks: z.array(hook).default([]),
  });

  /** What the menus, aliases and help texts take from a built-in persona.json (registry.ts checks them across folders). */
  const menuFields = {
    id,
    displayName: z.string().min(1),
    /** Its number in the menus: the folders' numbers run 1, 2, ... without gaps. */
    menu: z.int('must be a whole number').min(1, 'must be 1 or more: the menu numbers run 1, 2, ...'),
    /** Other names users may type (`ds`): unique across personas, never another persona's id. */
    aliases: z.array(id).default([]),
    /** The persona the help texts' examples start with: exactly one folder has it. */
    featured: z.boolean().default(false),
  };

  const builtinPersona = z.strictObject({
    ...menuFields,
    description: z.string().min(1),
    /** Workflows (workflows/<name>.md.ejs), written as Claude Code skills: .claude/skills/<name>/SKILL.md. */
    workflows: z.array(workflowName).default([]),
    /** Subagents (agents/<name>.md.ejs), written as .claude/agents/<name>.md. */
    agents: z.array(workflowName).default([]),
    permissions: permissions.default({ allow: [], ask: [], deny: [] }),
    env: env.default({}),
    /** Standalone tools (shared/tools/<tool>/tool.json `script`) installed as scripts/<script>.mjs + .sh. */
    tools: z.array(z.string().regex(/^[a-z][a-z0-9_]*$/)).default([]),
    /** Other files rendered from templates in the persona folder. */
    files: z.array(z.strictObject({ path: repoPath, template: z.string().min(1) })).default([]),
    /** Skill levels: each adds its permissions, env and workflows to the base; the section template sees the level. */
    levels: z.record(levelName, level).optional(),
    /** Hooks that enforce the persona's guardrails (settings.json `hooks`), each running a bundled script. */
    hooks: z.array(hook).default([]),
    /** A status line users may opt in to (`--status-line`): the bundled script that renders it. */
    statusLine: z.strictObject({ script: hookScript }).optional(),
  });

  /**
   * A persona.json as the menus read it, for every folder at start-up: the menu fields and the level
   * names; everything else is validated when the persona is loaded.
   */
  const menu = z.looseObject({ ...menuFields, levels: z.record(levelName, z.unknown()).optional() });

  /** The format users already write for their own personas. `block` means deny. */
  const seedPersona = z.strictObject({
    persona: id,
    display_name: z.string().min(1),
    description: z.string().optional(),
    permissions: z
      .strictObject({
        allow: z.array(allowRule).default([]),
        ask: z.array(rule).default([]),
        block: z.array(rule).default([]),
        deny: z.array(rule).default([]),
        defaultMode: defaultMode.optional(),
      })
      .default({ allow: [], ask: [], block: [], deny: [] }),
    environment: env.default({}),
    /**
     * Workflows the user keeps (listed in the CLAUDE.md section, never written by dp): a legacy command
     * .claude/commands/sets/<persona>/<name>.md (or <name>/SKILL.md there), or a skill .claude/skills/<name>/SKILL.md.
     */
    commands: z.array(commandName).default([]),
    /** Guidance for the persona's CLAUDE.md section. */
    instructions: z.string().optional(),
  });

  return { builtinPersona, menu, seedPersona, level, hook };
}

type Schemas = ReturnType<typeof buildSchemas>;
let built: Schemas | undefined;

export function personaSchemas(): Schemas {
  built ??= buildSchemas(zod());
  return built;
}

export type BuiltinPersonaData = Zod.infer<Schemas['builtinPersona']>;
export type MenuData = Zod.infer<Schemas['menu']>;
export type SeedPersonaData = Zod.infer<Schemas['seedPersona']>;
export type LevelData = Zod.infer<Schemas['level']>;
export type HookData = Zod.infer<Schemas['hook']>;

export interface PermissionSet {
  allow: string[];
  ask: string[];
  deny: string[];
}

/** A persona after validation, whichever format it came from. */
export interface Persona {
  id: string;
  displayName: string;
  description: string;
  workflows: string[];
  agents: string[];
  permissions: PermissionSet;
  env: Record<string, string>;
  tools: string[];
  files: Array<{ path: string; template: string }>;
  levels?: Record<string, LevelData>;
  hooks: HookData[];
  statusLine?: { script: string };
  /** Custom personas: the guidance their CLAUDE.md section carries. */
  instructions?: string;
  /** Custom personas: the folder under .claude/commands/ holding the user's own commands (`sets/<id>`). */
  commandSet?: string;
  origin: { kind: 'builtin' | 'custom'; dir: string; file: string };
}

export function fromBuiltin(data: BuiltinPersonaData, origin: Persona['origin']): Persona {
  const { allow, ask, deny } = data.permissions;
  return { ...data, permissions: { allow, ask, deny }, origin };
}

export function fromSeed(data: SeedPersonaData, origin: Persona['origin']): Persona {
  const { allow, ask, block, deny } = data.permissions;
  return {
    id: data.persona,
    displayName: data.display_name,
    description: data.description ?? `${data.display_name} (custom persona)`,
    commandSet: `sets/${data.persona}`,
    workflows: data.commands,
    agents: [],
    permissions: { allow, ask, deny: [...new Set([...block, ...deny])] },
    env: data.environment,
    tools: [],
    files: [],
    hooks: [],
    ...(data.instructions ? { instructions: data.instructions } : {}),
    origin,
  };
}

/** The message of a zod issue; for a bad record key, the key's own message rather than "Invalid key in record". */
export function issueMessage(issue: Zod.core.$ZodIssue): string {
  if (issue.code === 'invalid_key' && issue.issues[0]) return issue.issues[0].message;
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`;
  return issue.message;
}

/** `permissions.block[2]` from a zod issue path. */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}
