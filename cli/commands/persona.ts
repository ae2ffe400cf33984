// dp persona add | remove | switch | list
import { withPersona, type PersonaRequest } from '../../shared/engine/plan-active.js';
import { readRecordOnDisk } from '../../shared/engine/apply-on-disk.js';
import { menuChoices } from '../../shared/persona/menu.js';
import { builtinMenu, canonicalId } from '../../shared/persona/registry.js';
import { levelledPersonas } from '../../shared/persona/wording.js';
import { customPersonaIds, loadPersona } from '../../shared/persona/resolve.js';
import { parseAssistants } from '../../shared/assistants/registry.js';
import { COMMON, WRITING, conflictOption, parse, usage } from '../args.js';
import { levelFor } from '../levels.js';
import { repoRoot } from '../repo.js';
import { notActive, writeRun } from '../write-run.js';

const ADD = { ...COMMON, ...WRITING, level: { type: 'string' }, 'status-line': { type: 'boolean' }, 'no-status-line': { type: 'boolean' }, assistants: { type: 'string' } } as const;

async function add(argv: string[], exclusive: boolean): Promise<number> {
  const command = exclusive ? 'persona switch' : 'persona add';
  const { values, positionals } = parse(command, argv, ADD);
  if (positionals.length === 0) throw usage(`name the persona to ${exclusive ? 'switch to' : 'add'}`, command);
  if (exclusive && positionals.length > 1) throw usage('switch takes one persona', command);
  // Checked before anything else: a bad id is one line, nothing read or written.
  const assistants = values.assistants === undefined ? undefined : parseAssistants(values.assistants, `run 'dp ${command} --help' for its options`);
  const root = repoRoot(values.cwd);
  // Answers are gathered first (a question must not hold the lock); the active personas they join are
  // read under the lock.
  const record = readRecordOnDisk(root);
  const personas = positionals.map((name) => loadPersona(name, root)).filter((p, i, all) => all.findIndex((q) => q.id === p.id) === i);
  // --level is for the personas that have levels among those named; only naming none of them is a mistake.
  if (values.level !== undefined && !personas.some((p) => p.levels)) {
    const levelled = levelledPersonas(builtinMenu());
    throw usage(`--level applies to the ${levelled.name} persona, which is not among ${personas.map((p) => p.id).join(', ')}`, command);
  }
  if (values['status-line'] && values['no-status-line']) throw usage('--status-line and --no-status-line contradict each other: give one', command);
  for (const option of ['status-line', 'no-status-line'] as const) {
    if (values[option] && !personas.some((p) => p.statusLine)) {
      throw usage(`--${option} applies to a persona with a status line, and none of ${personas.map((p) => p.id).join(', ')} has one`, command);
    }
  }
  const wanted: PersonaRequest[] = [];
  for (const persona of personas) {
    if (persona.origin.kind === 'custom') {
      // The escape catalogue behind these warnings is loaded only for a user's own persona.
      const { customPersonaWarnings } = await import('../../shared/persona/custom-warnings.js');
      for (const warning of customPersonaWarnings(root, persona)) process.stderr.write(`dp: warning: ${warning}\n`);
    }
    const level = await levelFor(root, persona, persona.levels ? values.level : undefined, record);
    // Opted in now, or before (the record keeps it): a re-run keeps the status line; --no-status-line opts out.
    const statusLine = persona.statusLine !== undefined && values['no-status-line'] !== true && (values['status-line'] === true || record?.active.some((a) => a.id === persona.id && a.statusLine) === true);
    wanted.push({ id: persona.id, persona, ...(level ? { level } : {}), ...(statusLine ? { statusLine } : {}) });
  }
  const added = wanted.map((w) => w.id);
  return writeRun(root, (active) => wanted.reduce(withPersona, exclusive ? [] : active), {
    title: `${exclusive ? 'switched to' : 'added'} ${added.join(', ')}`,
    dryRun: values['dry-run'],
    onConflict: conflictOption(values['on-conflict'], command),
    ...(assistants ? { assistants: () => assistants } : {}),
  });
}

async function remove(argv: string[]): Promise<number> {
  const { values, positionals } = parse('persona remove', argv, { ...COMMON, ...WRITING });
  if (positionals.length === 0) throw usage('name the persona to remove', 'persona remove');
  const root = repoRoot(values.cwd);
  const ids = positionals.map((name) => canonicalId(name) ?? name);
  return writeRun(root, (active) => {
    const missing = ids.filter((id) => !active.some((a) => a.id === id));
    if (missing.length > 0) throw notActive(missing, active.map((a) => a.id));
    return active.filter((a) => !ids.includes(a.id));
  }, {
    title: `removed ${ids.join(', ')}`,
    dryRun: values['dry-run'],
    onConflict: conflictOption(values['on-conflict'], 'persona remove'),
  });
}

function list(argv: string[]): number {
  const { values } = parse('persona list', argv, { ...COMMON, json: { type: 'boolean' } });
  const root = repoRoot(values.cwd);
  const record = readRecordOnDisk(root);
  const active = new Map((record?.active ?? []).map((a) => [a.id, a]));
  const choices = menuChoices();
  // Every persona folder is available; `available` stays in the JSON for the scripts that read it.
  const builtin = choices.map(({ number, id, displayName, aliases }) => ({ number, id, displayName, aliases, available: true, active: active.has(id), level: active.get(id)?.level ?? null }));
  const custom = customPersonaIds(root).map((id) => ({ id, active: active.has(id) }));
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ builtin, custom, active: [...active.keys()] }, null, 2)}\n`);
    return 0;
  }
  process.stdout.write('Built-in personas:\n');
  for (const choice of choices) {
    const current = active.get(choice.id);
    const state = current ? `* active${current.level ? ` (level ${current.level})` : ''}` : '';
    const aliases = choice.aliases.length ? `  aliases: ${choice.aliases.join(', ')}` : '';
    process.stdout.write(`  ${choice.key} ${choice.id.padEnd(20)} ${choice.displayName.padEnd(20)} ${state}${aliases}\n`.replace(/ +\n$/, '\n'));
  }
  process.stdout.write(custom.length ? `Your personas (profiles/personas/):\n${custom.map((c) => `  ${c.id}${c.active ? '  * active' : ''}`).join('\n')}\n` : 'Your personas: none (define one in profiles/personas/<id>.json)\n');
  process.stdout.write(`Active here: ${[...active.keys()].join(', ') || 'none'}\n`);
  return 0;
}

export async function personaCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'add':
      return add(rest, false);
    case 'switch':
      return add(rest, true);
    case 'remove':
    case 'rm':
      return remove(rest);
    case 'list':
    case 'ls':
      return list(rest);
    default:
      throw usage(sub ? `unknown persona command "${sub}"` : 'persona needs a command: add, remove, switch or list', 'persona');
  }
}
