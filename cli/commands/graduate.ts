// dp graduate: the skill level of the active persona that has levels up one step (the order of its
// persona.json), after confirmation (--yes confirms from scripts).
import { activeRequests, withPersona } from '../../shared/engine/plan-active.js';
import { readRecordOnDisk } from '../../shared/engine/apply-on-disk.js';
import { DpError } from '../../shared/errors.js';
import { builtinMenu } from '../../shared/persona/registry.js';
import { loadPersona } from '../../shared/persona/resolve.js';
import { levelledPersonas } from '../../shared/persona/wording.js';
import { COMMON, WRITING, conflictOption, parse } from '../args.js';
import { confirm, interactive } from '../prompt.js';
import { repoRoot } from '../repo.js';
import { writeRun } from '../write-run.js';

export async function graduateCommand(argv: string[]): Promise<number> {
  const { values } = parse('graduate', argv, { ...COMMON, ...WRITING });
  const root = repoRoot(values.cwd);
  const active = activeRequests(readRecordOnDisk(root));
  const levelled = levelledPersonas(builtinMenu());
  const current = active.find((a) => levelled.entries.some((entry) => entry.id === a.id));
  if (!current) {
    const first = levelled.entries[0];
    throw new DpError(`the ${levelled.name} persona is not active here`, `add it first: dp persona add ${first?.id} --level ${first?.levels[0]}`, 1);
  }
  const persona = loadPersona(current.id, root);
  const levels = Object.keys(persona.levels ?? {});
  const index = levels.indexOf(current.level ?? '');
  if (index < 0) throw new DpError(`the recorded level "${current.level}" is not one of ${levels.join(', ')}`, `set it: dp persona add ${current.id} --level <level>`, 1);
  if (index === levels.length - 1) {
    process.stdout.write(`dp: the ${current.id} persona is already at the highest level (${current.level}); nothing to do\n`);
    return 0;
  }
  const next = levels[index + 1]!;
  const from = persona.levels![current.level!]!.displayName;
  const to = persona.levels![next]!;
  if (!values.yes && !values['dry-run']) {
    if (!interactive()) throw new DpError(`graduating from ${current.level} to ${next} needs a confirmation`, 'pass --yes to confirm', 1);
    const ok = await confirm(`Graduate from ${from} to ${to.displayName}? ${to.description}. Commands, guidance and permissions change with the level.`);
    if (!ok) {
      process.stdout.write('dp: not graduated; nothing written\n');
      return 0;
    }
  }
  return writeRun(root, (now) => withPersona(now, { id: current.id, persona, level: next }), {
    title: `${current.id} graduated from ${current.level} to ${next}`,
    dryRun: values['dry-run'],
    onConflict: conflictOption(values['on-conflict'], 'graduate'),
  });
}
