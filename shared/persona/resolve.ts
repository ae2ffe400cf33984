// Find a persona by name: a built-in one (id, alias or menu number), else the repository's own
// (profiles/personas/<id>.json, the seed format). Unknown names fail with the list of known ones.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DpError } from '../errors.js';
import { refuseBidiControls, refuseBidiFileName } from './bidi.js';
import { ruleEscapes } from './escape-check.js';
import { isBroadAllow, isSecretEnvName, riskyEnvNames } from './rules.js';
import { builtinIds, canonicalId } from './registry.js';
import { loadBuiltinPersona, parsePersona, readJsonFile } from './load.js';
import type { Persona } from './schema.js';

export const CUSTOM_DIR = 'profiles/personas';

/** Ids of the repository's own personas (profiles/personas/*.json). */
export function customPersonaIds(repoRoot: string): string[] {
  const dir = join(repoRoot, CUSTOM_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .sort();
}

function loadCustomPersona(repoRoot: string, id: string): Persona {
  const shownAs = `${CUSTOM_DIR}/${id}.json`;
  const file = join(repoRoot, shownAs);
  const data = readJsonFile(file, shownAs);
  refuseBidiControls(data, shownAs);
  if (typeof data !== 'object' || data === null || !('persona' in data)) {
    throw new DpError(`${shownAs}: persona: required`, `write it as {"persona": "${id}", "display_name": "...", "permissions": {"allow": [], "block": []}, "environment": {}}`);
  }
  const persona = parsePersona(data, { kind: 'custom', dir: repoRoot, file }, shownAs);
  if (persona.id !== id) throw new DpError(`${shownAs}: persona: must be "${id}" (the file name), got "${persona.id}"`, 'rename the file or fix the field');
  if (canonicalId(id)) throw new DpError(`${shownAs}: persona: "${id}" is the name of a built-in persona`, 'choose another id for your own persona');
  return persona;
}

export function loadPersona(name: string, repoRoot: string): Persona {
  const builtin = canonicalId(name);
  if (builtin) return loadBuiltinPersona(builtin);
  if (customPersonaIds(repoRoot).includes(name)) return loadCustomPersona(repoRoot, name);
  const known = [...builtinIds(), ...customPersonaIds(repoRoot)];
  throw new DpError(`unknown persona "${name}"`, `known personas: ${known.join(', ')} (or define your own in ${CUSTOM_DIR}/<id>.json)`, 2);
}

/** Allow rules of a persona that are valid but broad (applied, with a warning naming them). */
function broadAllows(persona: Persona): string[] {
  return persona.permissions.allow.filter(isBroadAllow);
}

/**
 * Allow rules (other than the broad ones, already named) that let a catalogued escape through
 * (escapes.ts), each with one command it allows: `Bash(git diff *) allows \`git diff --no-index /dev/null .env\``.
 * Running the project's own code (`make test`) is what such a persona is for, and is not named.
 */
function escapingAllows(persona: Persona, broad: string[]): string[] {
  return persona.permissions.allow
    .filter((rule) => !broad.includes(rule))
    .flatMap((rule) => {
      const finding = ruleEscapes(rule).find((found) => found.escape.effect !== 'project');
      return finding ? [`${rule} allows \`${finding.command}\` (${finding.escape.why})`] : [];
    });
}

/** Names of the command files a custom persona's user keeps in .claude/commands/sets/<id>/. */
export function userCommandNames(repoRoot: string, persona: Persona): string[] {
  const dir = join(repoRoot, '.claude', 'commands', persona.commandSet);
  if (!existsSync(dir)) return [];
  const names = readdirSync(dir).filter((name) => name.endsWith('.md'));
  // The names are listed in the CLAUDE.md section; the files' contents are the user's and never copied.
  for (const name of names) refuseBidiFileName(`.claude/commands/${persona.commandSet}`, name);
  return names.map((name) => name.slice(0, -'.md'.length)).sort();
}

/** What a user should hear about a custom persona before it is applied. */
export function customPersonaWarnings(repoRoot: string, persona: Persona): string[] {
  const warnings: string[] = [];
  const broad = broadAllows(persona);
  if (broad.length > 0) {
    warnings.push(`${persona.id} allows broad rules: ${broad.join(', ')}. They let the assistant run anything those programs can; narrow them if you can`);
  }
  const escapes = escapingAllows(persona, broad);
  if (escapes.length > 0) {
    warnings.push(`${persona.id} allows rules that options turn into reads, writes or code execution past its deny rules: ${escapes.join('; ')}. Allow the exact commands you need instead`);
  }
  const risky = riskyEnvNames(persona.env);
  const secrets = risky.filter(isSecretEnvName);
  const steering = risky.filter((name) => !isSecretEnvName(name));
  if (steering.length > 0) {
    warnings.push(`${persona.id} sets environment variables that change what allowed commands run or where data goes: ${steering.join(', ')}. Every command the assistant runs gets them; remove them unless you mean that`);
  }
  if (secrets.length > 0) {
    warnings.push(`${persona.id} sets what look like secrets in the environment: ${secrets.join(', ')}. .claude/settings.json is committed and its env goes to every command: keep secrets out of it (use your shell or a secret manager)`);
  }
  const found = userCommandNames(repoRoot, persona);
  const missing = persona.commands.filter((name) => !found.includes(name));
  if (missing.length > 0) {
    warnings.push(`${persona.id} lists commands with no file in .claude/commands/${persona.commandSet}/: ${missing.map((n) => `${n}.md`).join(', ')}`);
  }
  return warnings;
}
