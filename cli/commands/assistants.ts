// dp assistants [list] | add <id>... | remove <id>...: which AI coding assistants dp writes the active
// personas for. The choice is kept in the record; adding one writes its files, removing one takes back
// exactly what dp wrote for it.
import { ADAPTERS, adapterFor, parseAssistants, requiredBy, withRequired } from '../../shared/assistants/registry.js';
import { recordedTargets } from '../../shared/assistants/plan.js';
import { detectedAssistants } from '../../shared/assistants/detect.js';
import { planOnDisk, readRecordOnDisk } from '../../shared/engine/apply-on-disk.js';
import { DpError } from '../../shared/errors.js';
import { COMMON, WRITING, conflictOption, parse, usage } from '../args.js';
import { repoRoot } from '../repo.js';
import { writeRun } from '../write-run.js';

function list(argv: string[]): number {
  const { values } = parse('assistants list', argv, { ...COMMON, json: { type: 'boolean' } });
  const root = repoRoot(values.cwd);
  const record = readRecordOnDisk(root);
  const targets = recordedTargets(record);
  const found = detectedAssistants(root);
  const cannotExpress = record && record.active.length > 0 ? planOnDisk(root, (active) => active, { onConflict: 'keep' }).cannotExpress : [];
  const rows = ADAPTERS.map((a) => ({ id: a.id, name: a.displayName, targeted: targets.includes(a.id), found: found.includes(a.id), ...(a.requires ? { requires: a.requires } : {}) }));
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ assistants: rows, targeted: targets, cannotExpress }, null, 2)}\n`);
    return 0;
  }
  for (const row of rows) {
    const state = [row.targeted ? '* written for' : '', row.found ? 'its files are here' : ''].filter(Boolean).join('; ');
    process.stdout.write(`  ${row.id.padEnd(9)} ${row.name.padEnd(16)} ${state}\n`.replace(/ +\n$/, '\n'));
  }
  process.stdout.write(`Written for here: ${targets.join(', ')}\n`);
  if (cannotExpress.length > 0) process.stdout.write(`Cannot be expressed:\n${cannotExpress.map((line) => `  ${line}`).join('\n')}\n`);
  return 0;
}

async function change(argv: string[], adding: boolean): Promise<number> {
  const command = adding ? 'assistants add' : 'assistants remove';
  const { values, positionals } = parse(command, argv, { ...COMMON, ...WRITING });
  if (positionals.length === 0) throw usage(`name the assistant to ${adding ? 'add' : 'remove'}`, command);
  const hint = `run 'dp ${command} --help' for its usage`;
  const named = (positionals as string[]).map((name) => name.toLowerCase());
  // Adding brings what an assistant requires; removing takes only what was named.
  const ids = parseAssistants(named.join(','), hint).filter((id) => adding || named.includes(id) || named.includes('all'));
  const root = repoRoot(values.cwd);
  // The choice is kept with the personas (removing the last one gives the repository back as it was).
  if (!readRecordOnDisk(root)?.active.length) {
    throw new DpError('no persona is active here, so there is nothing to write for an assistant', `choose them with the personas: dp persona add <persona> --assistants <ids>`, 2);
  }
  return writeRun(root, (active) => active, {
    title: `${adding ? 'now writing for' : 'no longer writing for'} ${ids.join(', ')}`,
    dryRun: values['dry-run'],
    onConflict: conflictOption(values['on-conflict'], command),
    assistants: (recorded) => (adding ? withRequired([...recorded, ...ids]) : without(recorded, ids)),
  });
}

/** The targets less `ids`: each must be targeted, not required by one that stays, and one must stay. */
function without(recorded: string[], ids: string[]): string[] {
  const missing = ids.filter((id) => !recorded.includes(id));
  if (missing.length > 0) throw new DpError(`dp does not write for ${missing.join(', ')} here`, `written for here: ${recorded.join(', ')}`, 2);
  const left = recorded.filter((id) => !ids.includes(id));
  for (const id of ids) {
    const needing = requiredBy(id, left);
    if (needing.length > 0) throw new DpError(`${needing.join(', ')} ${needing.length > 1 ? 'read' : 'reads'} the files of ${adapterFor(id)!.displayName}, so it cannot go alone`, `remove ${[...needing, id].join(' ')} together`, 2);
  }
  if (left.length === 0) throw new DpError('dp must write for at least one assistant', `add another first (dp assistants add <id>), or take the personas back with dp persona remove`, 2);
  return left;
}

export async function assistantsCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case undefined:
    case 'list':
    case 'ls':
      return list(rest);
    case 'add':
      return change(rest, true);
    case 'remove':
    case 'rm':
      return change(rest, false);
    default:
      throw usage(`unknown assistants command "${sub}"`, 'assistants');
  }
}
