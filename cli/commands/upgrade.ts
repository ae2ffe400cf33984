// dp upgrade [--dry-run] [--no-status-line]: re-apply the active personas with this version's templates.
import { readRecordOnDisk } from '../../shared/engine/apply-on-disk.js';
import { DpError } from '../../shared/errors.js';
import { COMMON, WRITING, conflictOption, parse } from '../args.js';
import { repoRoot } from '../repo.js';
import { writeRun } from '../write-run.js';

export async function upgradeCommand(argv: string[]): Promise<number> {
  const { values } = parse('upgrade', argv, { ...COMMON, ...WRITING, 'no-status-line': { type: 'boolean' } });
  const root = repoRoot(values.cwd);
  const record = readRecordOnDisk(root);
  if (!record || record.active.length === 0) throw new DpError('no persona is active here, so there is nothing to upgrade', 'add one first: dp persona add <persona>', 1);
  // --no-status-line: every active persona drops its status line opt-in (the record keeps the choice).
  const optOut = values['no-status-line'] === true;
  return writeRun(root, (active) => (optOut ? active.map(({ statusLine: _off, ...request }) => request) : active), {
    title: `upgrade from ${record.version}`,
    dryRun: values['dry-run'],
    onConflict: conflictOption(values['on-conflict'], 'upgrade'),
  });
}
