// What an assistant's renderer takes (a persona as planned) and gives back (files it owns, entries in
// list-valued members of JSON settings files, and what it cannot express), before any merge.
import type { DesiredFile } from '../merge/model.js';
import type { PermissionSet } from '../persona/schema.js';
import type { Workflow } from './workflow-text.js';

export interface PlannedPersonaView {
  id: string;
  displayName: string;
  workflows: Workflow[];
  permissions: PermissionSet;
  env: Record<string, string>;
}

/** Values a persona puts into one array member of a JSON settings file, e.g. `context.fileName`. */
export interface JsonListEntries {
  path: string;
  /** The member's keys from the root: `["tools", "exclude"]`. */
  key: string[];
  values: string[];
}

export interface AssistantPlan {
  files: DesiredFile[];
  lists: JsonListEntries[];
  /** "<what> cannot be expressed: <why>", one line per part of the persona this assistant has no place for. */
  cannotExpress: string[];
}

export function ownedFile(path: string, content: string): DesiredFile {
  return { path, content, executable: false };
}

/** Claude rules listed in one line, each in backticks; past `limit`, the rest counted (allows left out only ask more). */
export function ruleList(rules: string[], limit = Infinity): string {
  const shown = rules.slice(0, limit).map((rule) => `\`${rule}\``).join(', ');
  return rules.length > limit ? `${shown} and ${rules.length - limit} more` : shown;
}

/** How many allows left out a line names: the assistant asks for them, which is safe, so the rest are counted. */
export const ALLOWS_NAMED = 5;

/** The line an assistant without a place dp writes environment variables to says. */
export function envNotExpressed(env: Record<string, string>, why: string): string[] {
  const names = Object.keys(env);
  return names.length === 0 ? [] : [`environment variables (${names.join(', ')}) cannot be expressed: ${why}`];
}
