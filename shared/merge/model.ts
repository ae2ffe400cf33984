// What the merge works with: the personas as they should be, the changes it returns, the report per path,
// and the repository paths it names. Types and names only, shared by every layer above the merge.
import type { PermissionSet } from '../persona/schema.js';
import type { PersonaRecord } from './record.js';

export const CLAUDE_MD = 'CLAUDE.md';

export type ConflictPolicy = 'ask' | 'keep' | 'markers';

export interface DesiredFile {
  path: string;
  content: string;
  executable: boolean;
  /** A bundled tool: kept or replaced by hash, never merged (the user's edited copy stays, the new version beside it). */
  update?: 'replace';
}

/** A settings.json hook entry a persona wants: `command` runs its installed script. */
export interface DesiredHook {
  event: string;
  matcher?: string;
  command: string;
  timeout: number;
}

/** A persona workflow, assistant-neutral: Claude Code gets it as a skill, other assistants in their formats. */
export interface Workflow {
  /** Lower-case letters, digits and dashes: the invocation name (`/<name>`). */
  name: string;
  description: string;
  argumentHint?: string;
  /** Tools pre-approved while it runs: read-only tools and rules the persona's settings allow. */
  allowedTools: string[];
  /** Only the user starts it (it writes or changes state): the model never invokes it on its own. */
  userOnly: boolean;
  /** The instructions, Markdown. */
  body: string;
}

/** A specialist the assistant delegates to, with its own instructions and a minimal tool list. */
export interface Subagent {
  name: string;
  description: string;
  /** Tool names (Read, Grep, Glob, Bash, ...); the settings' rules still govern each use. */
  tools: string[];
  /** Its system prompt, Markdown. */
  body: string;
}

/** One persona as it should be in the repository. */
export interface DesiredPersona {
  id: string;
  displayName: string;
  level?: string;
  custom?: boolean;
  files: DesiredFile[];
  /** The body of its CLAUDE.md section. */
  section: string;
  permissions: PermissionSet;
  env: Record<string, string>;
  hooks: DesiredHook[];
  /** The status line command, when the user opted in to the persona's status line. */
  statusLine?: string;
  workflows: Workflow[];
  agents: Subagent[];
  /** The workflow files it lists (the record's configuration.commands): skills dp writes, a custom persona's own files. */
  commands: string[];
  tools: string[];
}

export interface Change {
  path: string;
  /** null deletes the file. */
  content: string | null;
  executable?: boolean;
  /** Let the user decide through Yeoman's conflicter (interactive conflict policy). */
  prompt?: boolean;
}

export type Status = 'created' | 'updated' | 'merged' | 'kept' | 'conflict' | 'unchanged' | 'removed' | 'kept-edited' | 'deleted' | 'restored';

export interface Outcome {
  path: string;
  status: Status;
  detail?: string;
}

export interface ApplyOptions {
  version: string;
  onConflict: ConflictPolicy;
  /** Recreate files and sections the user deleted (dp doctor --fix). */
  restoreDeleted?: boolean;
  /** The assistants to write for (shared/assistants/registry.ts); Claude Code alone when absent. */
  assistants?: readonly string[];
}

export interface ApplyResult {
  changes: Change[];
  outcomes: Outcome[];
  record: PersonaRecord;
  notes: string[];
  /** Every part of an active persona a targeted assistant cannot express ("<assistant>: <persona>: ..."); notes has the new ones. */
  cannotExpress: string[];
}

export type Reader = (path: string) => string | null;

export function dpNewPath(path: string): string {
  return `${path}.dp-new`;
}

/** Where the new version of a conflicting section goes, beside its file (CLAUDE.md.<persona>.dp-new). */
export function sectionDpNewPath(file: string, id: string): string {
  return `${file}.${id}.dp-new`;
}
