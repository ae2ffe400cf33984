// dp status: active personas and levels, the generator version that applied them vs this one, the files
// the user changed, the upgrades this version brings, and conflicts waiting in .dp-new files.
import { planOnDisk, readRecordOnDisk } from '../../shared/engine/apply-on-disk.js';
import { inspectRecord } from '../../shared/engine/inspect.js';
import { generatorVersion } from '../../shared/package-root.js';
import { RECORD_PATH } from '../../shared/merge/record.js';
import { recordedTargets } from '../../shared/assistants/plan.js';
import { adapterFor } from '../../shared/assistants/registry.js';
import { assistantFileProblems } from '../../shared/engine/assistant-checks.js';
import { DpError } from '../../shared/errors.js';
import { COMMON, parse } from '../args.js';
import { repoRoot } from '../repo.js';

interface StatusReport {
  root: string;
  generatorVersion: string;
  appliedWith: string | null;
  active: Array<{ id: string; displayName: string; level: string | null; custom: boolean }>;
  changedByYou: string[];
  missing: string[];
  upgradesAvailable: string[];
  /** What stops dp from telling changes and upgrades (a custom persona's file gone, damaged markers...), or null. */
  problem: string | null;
  pendingConflicts: string[];
  /** The assistants written for. */
  assistants: string[];
  /** Files dp wrote that an assistant could not load as they are now (their format broken). */
  unreadable: string[];
}

function statusReport(root: string): StatusReport {
  const record = readRecordOnDisk(root);
  const { items } = record ? inspectRecord(root, record) : { items: [] };
  const labels = (state: string) => items.filter((item) => item.state === state).map((item) => item.label);
  const changedByYou = labels('changed');
  const missing = labels('missing');
  const pendingConflicts = items.flatMap((item) => (item.dpNew ? [item.dpNew] : []));
  let planned: ReturnType<typeof planOnDisk> | null = null;
  let problem: string | null = null;
  // Planning reads and checks everything a run would: its refusal is the problem to report.
  try {
    planned = record ? planOnDisk(root, (active) => active, { onConflict: 'keep' }) : null;
  } catch (error) {
    if (!(error instanceof DpError)) throw error;
    problem = error.message;
  }
  const upgradesAvailable = planned
    ? planned.outcomes.filter((o) => ['updated', 'merged', 'conflict', 'created', 'removed'].includes(o.status)).map((o) => `${o.path} (${o.status === 'updated' ? 'upgrade' : o.status})`)
    : [];
  return {
    root,
    generatorVersion: generatorVersion(),
    appliedWith: record?.version ?? null,
    active: (record?.active ?? []).map((a) => ({ id: a.id, displayName: a.displayName, level: a.level ?? null, custom: a.custom ?? false })),
    changedByYou,
    missing,
    upgradesAvailable,
    problem,
    pendingConflicts,
    assistants: recordedTargets(record),
    unreadable: record ? assistantFileProblems(root, record) : [],
  };
}

export function statusCommand(argv: string[]): number {
  const { values } = parse('status', argv, { ...COMMON, json: { type: 'boolean' } });
  const report = statusReport(repoRoot(values.cwd));
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  const out: string[] = [`repository: ${report.root}`];
  if (report.active.length === 0) {
    out.push(`no persona is active here (no ${RECORD_PATH}); add one: dp persona add <persona>`);
  } else {
    out.push(`active: ${report.active.map((a) => `${a.id}${a.level ? ` (level ${a.level})` : ''}${a.custom ? ' (custom)' : ''}`).join(', ')}`);
    const versions = report.appliedWith === report.generatorVersion ? `${report.generatorVersion} (current)` : `${report.appliedWith}; this is ${report.generatorVersion}`;
    out.push(`applied with generator-dp ${versions}`);
    out.push(`written for: ${report.assistants.map((id) => adapterFor(id)!.displayName).join(', ')}`);
    const list = (title: string, items: string[], none: string) => out.push(items.length ? `${title}:\n${items.map((i) => `  ${i}`).join('\n')}` : `${title}: ${none}`);
    list('changed by you (kept on upgrade, merged where the template changed)', report.changedByYou, 'none');
    list('missing (dp doctor --fix restores them)', report.missing, 'none');
    if (report.unreadable.length > 0) list('broken for their assistant (fix by hand, or delete and run dp doctor --fix)', report.unreadable, 'none');
    if (report.problem) out.push(`upgrades available: cannot tell: ${report.problem}`);
    else list('upgrades available (dp upgrade --dry-run shows them)', report.upgradesAvailable, 'none, up to date');
    list('conflicts waiting for you (merge by hand, then delete the .dp-new file)', report.pendingConflicts, 'none');
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
