// create-dp-project: a new repository with personas applied (the entry point of the create-dp-project
// package, which holds nothing else). Asks for what is missing on a terminal; scripts pass flags.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { DpError } from '../shared/errors.js';
import { applyOnDisk, planOnDisk, readRecordOnDisk } from '../shared/engine/apply-on-disk.js';
import { activeRequests, type PersonaRequest } from '../shared/engine/plan-active.js';
import { deletedPaths, formatOutcomes, ownFiles } from '../shared/engine/report.js';
import type { Outcome } from '../shared/merge/model.js';
import { generatorVersion, packageRoot } from '../shared/package-root.js';
import { menuChoices } from '../shared/persona/menu.js';
import { builtinIds, builtinMenu, canonicalId, type MenuEntry } from '../shared/persona/registry.js';
import { examplePersonas, levelledPersonas } from '../shared/persona/wording.js';
import { levelQuestion, resolveLevel } from '../shared/persona/levels.js';
import { loadPersona } from '../shared/persona/resolve.js';
import { parseCommandLine, runMain } from '../shared/tools/lib/cli.js';
import { ask, choose, closePrompts, interactive } from './prompt.js';
import { words, wrap } from './wrap.js';
import { assistantIds, parseAssistants } from '../shared/assistants/registry.js';

/** The help text for these personas (this package's own, or a test's). */
export function createHelp(menu: readonly MenuEntry[]): string {
  const named = menu.map((entry, i) => `${entry.id}${entry.aliases.length ? ` (${entry.aliases.join(', ')})` : ''}${i === menu.length - 1 ? ';' : ','}`);
  const levelled = levelledPersonas(menu);
  return `Usage: create-dp-project [directory] [--persona <id>[,<id>...]] [--level <level>] [--assistants <ids>]
                         [--force] [--no-git] [--yes]

Creates the directory (it must be new or empty unless --force), runs git init, writes a README and a
.gitignore (with .claude/settings.local.json and CLAUDE.local.md), and applies the personas.
Asks for the directory, personas and skill level on a terminal; without one, pass them as flags.

${wrap('  --persona <ids>   ', [...named, 'several', 'comma-separated'], ' '.repeat(20))}
  --level <level>   the ${levelled.name} persona's skill level: ${levelled.levels.join(', ')}
${wrap('  --assistants <ids> ', [...words(`the AI assistants to write for: ${assistantIds().join(',')} or all (default: claude)`)], ' '.repeat(20))}
  --force           use a directory that is not empty: nothing of yours is overwritten, the
                    personas already applied there stay active at their level, the others are added
  --no-git          do not run git init
  -y, --yes         ask nothing: take each question's default (directory ${DEFAULT_DIR}, persona
                    ${menu[0]?.id ?? ''}); fail on one without a default (the skill level: pass --level)
  -h, --help        this text
  -v, --version     the version

Example: npx ${example(menu)}`;
}

function example(menu: readonly MenuEntry[] = builtinMenu()): string {
  return `create-dp-project my-model --persona ${examplePersonas(menu, 1)[0]!.id}`;
}

/** The answers a terminal user gets by pressing Enter, and --yes takes. */
const DEFAULT_DIR = 'my-project';

const GITIGNORE = ['node_modules/', '.env', '.env.*', '.claude/settings.local.json', 'CLAUDE.local.md'];

async function askPersonas(yes: boolean): Promise<string[]> {
  const choices = menuChoices();
  if (yes) return [choices[0]!.id];
  process.stdout.write(`Personas:\n${choices.map((choice) => `  ${choice.name} (${choice.id})`).join('\n')}\n`);
  for (;;) {
    const answer = await ask('Which personas? numbers or ids, comma-separated', String(choices[0]!.number));
    const resolved = answer.split(',').map((part) => part.trim()).filter(Boolean).map((name) => canonicalId(name));
    if (resolved.every((id): id is string => id !== undefined)) return resolved;
    process.stdout.write(`  choose among: ${builtinIds().join(', ')}\n`);
  }
}

/**
 * --force only adds: the personas already active stay active at their level and the requested ones
 * join them. Asking for another level of an active persona is refused rather than applied.
 */
function addOnly(active: PersonaRequest[], requested: PersonaRequest[]): PersonaRequest[] {
  const added = requested.filter((request) => {
    const current = active.find((a) => a.id === request.id);
    if (current && request.level !== undefined && request.level !== current.level) {
      throw new DpError(
        `${current.id} is already active here at level ${current.level}: --force only adds personas, it does not change them`,
        `leave out --level, or change the level with: dp persona add ${current.id} --level ${request.level}`,
        2,
      );
    }
    return !current;
  });
  return [...active, ...added];
}

function prepareDirectory(target: string, force: boolean): void {
  if (existsSync(target)) {
    if (readdirSync(target).length > 0 && !force) {
      throw new DpError(`${target} is not empty`, 'choose a new directory, or pass --force to add personas to it (nothing in it is overwritten)', 2);
    }
  } else {
    mkdirSync(target, { recursive: true });
  }
}

/** git init, README.md and .gitignore; returns what it wrote, in the words of every other report. */
function writeScaffold(target: string, personas: string[], git: boolean): Outcome[] {
  const written: Outcome[] = [];
  if (git && !existsSync(join(target, '.git'))) {
    const init = spawnSync('git', ['init', '-q'], { cwd: target, encoding: 'utf8' });
    if (init.error || init.status !== 0) process.stderr.write(`create-dp-project: git init failed (${init.error?.message ?? init.stderr.trim()}); continuing without git\n`);
  }
  const readme = join(target, 'README.md');
  if (!existsSync(readme)) {
    writeFileSync(readme, `# ${basename(target)}\n\nAI-assistant personas applied with generator-dp: ${personas.join(', ')}.\nSee CLAUDE.md for the guidance and .claude/skills/ for the slash commands; \`dp status\` shows what is installed.\n`);
    written.push({ path: 'README.md', status: 'created' });
  }
  const gitignore = join(target, '.gitignore');
  const present = existsSync(gitignore) ? readFileSync(gitignore, 'utf8').split('\n') : [];
  const missing = GITIGNORE.filter((line) => !present.includes(line));
  if (missing.length > 0) {
    appendFileSync(gitignore, `${present.length && !present.at(-1) ? '' : present.length ? '\n' : ''}${missing.join('\n')}\n`);
    written.push({ path: '.gitignore', status: present.length ? 'updated' : 'created', ...(present.length ? { detail: `added ${missing.join(', ')}` } : {}) });
  }
  return written;
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * How this user runs dp afterwards. Installed from the registry (npx create-dp-project): npx -p generator-dp dp.
 * From a checkout or a local tarball, npx would fetch a package that may not exist: the dp that came with this one.
 */
export function dpInvocation(root = packageRoot()): string {
  const parts = root.split(sep);
  const top = parts.indexOf('node_modules');
  if (top > 0) {
    const project = parts.slice(0, top).join(sep);
    const lock = readOrNull(join(project, 'node_modules', '.package-lock.json'));
    let resolved: unknown;
    try {
      resolved = lock === null ? undefined : (JSON.parse(lock) as { packages?: Record<string, { resolved?: unknown }> }).packages?.[relative(project, root).split(sep).join('/')]?.resolved;
    } catch {
      resolved = undefined;
    }
    if (typeof resolved === 'string' && /^https?:\/\//.test(resolved)) return 'npx -p generator-dp dp';
    const bin = join(dirname(root), '.bin', 'dp');
    if (basename(dirname(root)) === 'node_modules' && existsSync(bin)) return shellWord(bin);
  }
  return `node ${shellWord(join(root, 'dist', 'cli', 'dp.js'))}`;
}

/** create-dp-project's entry point; returns the exit code (also set on the process) for the package's bin. */
export function runCreate(argv: string[]): Promise<number> {
  return runMain('create-dp-project', create, argv);
}

async function create(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseCommandLine(argv, {
      persona: { type: 'string' },
      level: { type: 'string' },
      assistants: { type: 'string' },
      force: { type: 'boolean' },
      'no-git': { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    }, "run 'create-dp-project --help' for its options");
    if (values.help) {
      process.stdout.write(`${createHelp(builtinMenu())}\n`);
      return 0;
    }
    if (values.version) {
      process.stdout.write(`${generatorVersion()}\n`);
      return 0;
    }
    if (positionals.length > 1) throw new DpError('give one directory', 'create-dp-project <directory> --persona <id>', 2);
    const assistants = values.assistants === undefined ? undefined : parseAssistants(values.assistants, "run 'create-dp-project --help' for its options");
    // --yes answers every question with its default, on a terminal or not.
    const yes = values.yes ?? false;
    const canAsk = yes || interactive();
    const missingAnswer = (what: string, flag: string) =>
      new DpError(yes ? `no ${what} given, and it has no default for --yes to take` : `no ${what} given and no terminal to ask`, `pass ${flag}`, 2);
    const dir = positionals[0] ?? (yes ? DEFAULT_DIR : canAsk ? await ask('Project directory?', DEFAULT_DIR) : undefined);
    if (!dir) throw missingAnswer('directory', `<directory> (e.g. ${example()})`);
    const names = values.persona?.split(',').map((p) => p.trim()).filter(Boolean) ?? (canAsk ? await askPersonas(yes) : undefined);
    if (!names?.length) throw missingAnswer('persona', '--persona <id>[,<id>...]');

    const target = resolve(dir);
    // Everything is checked before anything is created. What is active decides which levels to ask
    // for; the personas are added to what is active once the lock is held.
    const active = existsSync(target) ? activeRequests(readRecordOnDisk(target)) : [];
    const personas = names.map((name) => loadPersona(name, target)).filter((p, i, all) => all.findIndex((q) => q.id === p.id) === i);
    if (values.level !== undefined && !personas.some((p) => p.levels)) {
      const levelled = levelledPersonas(builtinMenu());
      throw new DpError(`--level applies to the ${levelled.name} persona, which is not among ${personas.map((p) => p.id).join(', ')}`, `leave out --level, or add --persona ${levelled.entries[0]?.id}`, 2);
    }
    const requests: PersonaRequest[] = [];
    for (const persona of personas) {
      let level = values.level;
      if (active.some((a) => a.id === persona.id)) {
        // Keeps its level; a --level naming another one is refused by addOnly.
        requests.push({ id: persona.id, persona, ...(level !== undefined ? { level: resolveLevel(persona, level) } : {}) });
        continue;
      }
      if (persona.levels && level === undefined) {
        const question = levelQuestion(persona);
        if (!canAsk || yes) throw missingAnswer(`skill level for ${persona.displayName}`, question.flag);
        level = await choose(question.message, question.choices);
      }
      const checked = resolveLevel(persona, persona.levels ? level : undefined);
      requests.push({ id: persona.id, persona, ...(checked ? { level: checked } : {}) });
    }
    addOnly(active, requests);
    prepareDirectory(target, values.force ?? false);
    // What is there already is read and checked (a file dp cannot merge into is refused) before the scaffold is written.
    const chosen = assistants ? { assistants: () => assistants } : {};
    if (active.length > 0 || readdirSync(target).length > 0) planOnDisk(target, (current) => addOnly(current, requests), { onConflict: 'keep', ...chosen });
    const scaffold = writeScaffold(target, requests.map((r) => r.id), !values['no-git']);
    let before: PersonaRequest[] = [];
    let after: PersonaRequest[] = [];
    const result = applyOnDisk(target, (current) => {
      before = current;
      after = addOnly(current, requests);
      return after;
    }, { onConflict: 'keep', ...chosen });
    // One list of every file written: the scaffold, the personas' files, dp's record and answers.
    for (const line of formatOutcomes([...scaffold, ...result.outcomes, ...ownFiles(result.outcomes, result.changes, result.before)], result.notes, deletedPaths(result.changes))) process.stdout.write(`  ${line}\n`);
    const shown = relative(process.cwd(), target) || '.';
    const named = (list: PersonaRequest[]) => list.map((r) => r.id + (r.level ? ` (${r.level})` : '')).join(', ');
    const done = before.length === 0 ? `Created ${shown} with ${named(after)}` : `Added ${named(after.slice(before.length)) || 'no persona'} to ${shown}; active: ${named(after)}`;
    const steps = [[`cd ${shellWord(shown)}`, ''], ['claude', 'start Claude Code: CLAUDE.md, the skills and the settings are in place'], [`${dpInvocation()} status`, 'what is installed, and upgrades later']];
    const width = Math.max(...steps.map(([command]) => command!.length)) + 2;
    process.stdout.write(`\n${done}.\nNext steps:\n${steps.map(([command, why]) => `  ${why ? `${command!.padEnd(width)}# ${why}` : command}`).join('\n')}\n`);
    return 0;
  } finally {
    closePrompts();
  }
}
