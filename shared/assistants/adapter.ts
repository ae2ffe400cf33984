// One AI coding assistant as dp writes for it. Claude Code's plan (DesiredPersona, shared/plan) is what a
// persona means; an adapter maps the active personas onto one assistant's files through the merge's
// output kinds, and says what it cannot express. The front ends never branch on the assistant: the run
// plans every adapter the repository targets (plan.ts), and the output kinds write for all alike.
//
// Adding an assistant:
//   1. shared/assistants/<id>.ts exporting an AssistantAdapter (see agents.ts for a small one);
//   2. list it in ADAPTERS (registry.ts): `--assistants <id>`, `dp assistants add <id>`, the menus, status
//      and doctor pick it up from there;
//   3. its outputs, by kind:
//      - sections: a Markdown file shared with the user (AGENTS.md, GEMINI.md, ...): one marked section
//        per persona, the user's text outside the markers kept byte for byte, removed exactly;
//      - files: files dp owns whole (skills, commands, rules): three-way upgraded, taken back unless edited.
//        Prefer an owned file wherever the assistant reads a directory of them (`.codex/rules/dp-<persona>.rules`)
//        over entries in the user's own config;
//      - lists: values in list-valued members of a JSON settings file (.cursor/cli.json permissions.allow),
//        owned value by value like settings.json's rules (outputs/json-lists.ts); where the assistant
//        needs a scalar setting or TOML, it is said in cannotExpress rather than edited into the user's file;
//      - cannotExpress: one line per part of a persona this assistant has no place for ("what: why"),
//        printed once when the persona or the assistant is added, listed by `dp assistants`;
//   4. `reads`: every instruction file the assistant loads, so the run can refuse a plan that would load
//      one persona's instructions twice (Copilot CLI reads AGENTS.md, CLAUDE.md and GEMINI.md);
//   5. `check`: what a file of its format must satisfy for the assistant to load it (dp doctor, dp status);
//   6. docs/assistants.md: what is written and what cannot be expressed.
import type { DesiredFile, DesiredPersona, Reader } from '../merge/model.js';
import type { PersonaRecord } from '../merge/record.js';

/** A section of a Markdown instruction file, between <!-- dp:begin id --> and <!-- dp:end id -->. */
export interface PlannedSection {
  /** The Markdown file, relative to the repository (CLAUDE.md, AGENTS.md, .github/copilot-instructions.md). */
  file: string;
  /** The section's id: a persona's id, or a name no persona id can take (import-AGENTS.md). */
  id: string;
  /** How errors name the section's owner ("the Product Manager persona"). */
  owner: string;
  body: string;
  /** Recorded with the section: the file held nothing of the user's when dp added it (the import stays with it). */
  fileWasDps?: boolean;
}

/** A file dp owns whole, for one persona. */
export interface PlannedFile extends DesiredFile {
  persona: string;
}

/** Values one persona puts into a list-valued member of a JSON settings file (`context.fileName`). */
export interface PlannedList {
  persona: string;
  /** The JSON file, relative to the repository. */
  path: string;
  /** The member's keys from the root: `["permissions", "allow"]`. */
  key: string[];
  values: string[];
}

export interface AssistantOutputs {
  sections: PlannedSection[];
  files: PlannedFile[];
  lists: PlannedList[];
  /** "<persona>: <what> cannot be expressed: <why>", one line each. */
  cannotExpress: Array<{ persona: string; text: string }>;
}

export interface PlanContext {
  /** The repository as this run sees it. */
  read: Reader;
  /** Every assistant this run writes for (this one included). */
  targets: ReadonlySet<string>;
  /** What dp recorded last time. */
  previous: PersonaRecord;
}

/** A limit an assistant puts on a file dp writes into (Codex reads 32 KiB of AGENTS.md). */
export interface SizeLimit {
  file: string;
  bytes: number;
  /** What happens past the limit, for the warning. */
  consequence: string;
}

export interface AssistantAdapter {
  /** What users type: `--assistants <id>`. Lower-case letters. */
  id: string;
  /** How reports name it: "Codex CLI". */
  displayName: string;
  /** Files whose presence says a repository already uses this assistant (the menu pre-selects it). */
  detect: string[];
  /** Assistants whose files this one reads and that come with it (Codex reads AGENTS.md: ['agents']). */
  requires?: string[];
  /** Every instruction file this assistant loads at the repository root, imports followed. */
  reads(targets: ReadonlySet<string>): string[];
  /** The active personas (as planned for Claude Code) -> this assistant's outputs. */
  plan(personas: DesiredPersona[], context: PlanContext): AssistantOutputs;
  /** The problem with a file dp wrote for this assistant, as the assistant would load it, or null. */
  check?(path: string, text: string): string | null;
  limits?: SizeLimit[];
}
