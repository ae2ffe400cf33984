// What a user hears about their own persona before it is applied: broad allows, allows that options turn
// into escapes (escape-check.ts, with its catalogue), steering or secret environment variables, listed
// workflows without a file. Loaded only when a custom persona is applied (the catalogue is the largest
// table dp has, and a built-in persona never needs it).
import { join } from 'node:path';
import { ruleEscapes } from './escape-check.js';
import { isFile, userWorkflows } from './resolve.js';
import { isBroadAllow, isSecretEnvName, riskyEnvNames } from './rules.js';
import type { Persona } from './schema.js';

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
  const missing = userWorkflows(repoRoot, persona)
    .filter((workflow) => !isFile(join(repoRoot, workflow.path)))
    .map((workflow) => workflow.name);
  if (missing.length > 0) {
    warnings.push(`${persona.id} lists commands with no file in .claude/commands/${persona.commandSet}/ (<name>.md or <name>/SKILL.md) or .claude/skills/<name>/SKILL.md: ${missing.join(', ')}`);
  }
  return warnings;
}
