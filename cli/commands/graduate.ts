// dp graduate: the developer persona's skill level up one step (beginner -> l1 -> l2 -> expert),
// after confirmation (--yes confirms from scripts).
import { activeRequests, withPersona } from '../../shared/engine/plan-active.js';
import { readRecordOnDisk } from '../../shared/engine/apply-on-disk.js';
import { DpError } from '../../shared/errors.js';
import { loadPersona } from '../../shared/persona/resolve.js';
import { COMMON, WRITING, conflictOption, parse } from '../args.js';
import { confirm, interactive } from '../prompt.js';
import { repoRoot } from '../repo.js';
import { writeRun } from '../write-run.js';

export async function graduateCommand(argv: string[]): Promise<number> {
  const { values } = parse('graduate', argv, { ...COMMON, ...WRITING });
  const root = repoRoot(values.cwd);
  const active = activeRequests(readRecordOnDisk(root));
  const current = active.find((a) => a.id === 'developer');
  if (!current) throw new DpError('the developer persona is not active here', 'add it first: dp persona add developer --level beginner', 1);
  const persona = loadPersona('developer', root);
  const levels = Object.keys(persona.levels ?? {});
  const index = levels.indexOf(current.level ?? '');
  if (index < 0) throw new DpError(`the recorded level "${current.level}" is not one of ${levels.join(', ')}`, 'set it: dp persona add developer --level <level>', 1);
  if (index === levels.length - 1) {
    process.stdout.write(`dp: the developer persona is already at the highest level (${current.level}); nothing to do\n`);
    return 0;
  }
  const next = levels[index + 1]!;
  const from = persona.levels![current.level!]!.displayName;
  const to = persona.levels![next]!;
  if (!values.yes && !values['dry-run']) {
    if (!interactive()) throw new DpError(`graduating from ${current.level} to ${next} needs a confirmation`, 'pass --yes to confirm', 2);
    const ok = await confirm(`Graduate from ${from} to ${to.displayName}? ${to.description}. Commands, guidance and permissions change with the level.`);
    if (!ok) {
      process.stdout.write('dp: not graduated; nothing written\n');
      return 0;
    }
  }
  return writeRun(root, (now) => withPersona(now, { id: 'developer', level: next }), {
    title: `developer graduated from ${current.level} to ${next}`,
    dryRun: values['dry-run'],
    onConflict: conflictOption(values['on-conflict'], 'graduate'),
  });
}
