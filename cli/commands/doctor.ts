// dp doctor [--fix]: is the persona applied as recorded? Commands, tools and sections present, tools
// executable, settings valid, no conflict left unresolved, nvidia-smi reachable, Node recent enough.
// --fix restores what dp wrote and is missing (and tool modes); it never overwrites your edits.
import { accessSync, chmodSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { applyOnDisk, readRecordOnDisk } from '../../shared/engine/apply-on-disk.js';
import { inspectRecord } from '../../shared/engine/inspect.js';
import { DpError } from '../../shared/errors.js';
import { SETTINGS_PATH } from '../../shared/merge/settings-file.js';
import { diskReader } from '../../shared/commit/read.js';
import { RECORD_PATH, type PersonaRecord } from '../../shared/merge/record.js';
import { recordedTargets } from '../../shared/assistants/plan.js';
import { assistantFileProblems } from '../../shared/engine/assistant-checks.js';
import { parseSettings } from '../../shared/merge/settings-file.js';
import { describeSmiFailure, runSmi } from '../../shared/tools/lib/nvidia-smi.js';
import { deletedPaths, formatOutcomes, ownFiles } from '../../shared/engine/report.js';
import { COMMON, parse } from '../args.js';
import { repoRoot } from '../repo.js';

type Level = 'ok' | 'warn' | 'problem';
interface Finding {
  level: Level;
  text: string;
  /** What --fix can do about it. */
  fix?: 'restore' | 'chmod';
  path?: string;
}

const MIN_NODE = [20, 17];

function nodeFinding(): Finding {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const ok = major > MIN_NODE[0]! || (major === MIN_NODE[0] && minor >= MIN_NODE[1]!);
  return { level: ok ? 'ok' : 'problem', text: `Node.js ${process.versions.node}${ok ? '' : ` is older than ${MIN_NODE.join('.')}: the installed tools need Node >= 20.17`}` };
}

function recordFindings(root: string, record: PersonaRecord): Finding[] {
  const read = diskReader(root);
  const findings: Finding[] = [];
  const { items, problem } = inspectRecord(root, record);
  if (problem) findings.push({ level: 'problem', text: problem });
  for (const item of items) {
    if (item.state === 'missing') {
      findings.push({ level: 'problem', text: item.kind === 'file' ? `${item.path} is missing (${item.persona})` : `${item.path} has no ${item.persona} section`, fix: 'restore', path: item.path });
      continue;
    }
    if (item.executable && (statSync(join(root, item.path)).mode & 0o111) === 0) {
      findings.push({ level: 'problem', text: `${item.path} is not executable`, fix: 'chmod', path: item.path });
    }
    if (/^<<<<<<< yours\r?$/m.test(item.text ?? '')) findings.push({ level: 'problem', text: `${item.label} still has conflict markers: resolve them by hand` });
    if (item.dpNew) findings.push({ level: 'warn', text: `${item.dpNew} waits to be merged into ${item.label}, then deleted` });
  }
  for (const command of record.configuration.commands) {
    if (!existsSync(join(root, command)) && !(command in record.managed.files)) findings.push({ level: 'warn', text: `${command} is listed by a custom persona but missing` });
  }
  for (const problem of assistantFileProblems(root, record)) findings.push({ level: 'problem', text: problem });
  const settingsText = read(SETTINGS_PATH);
  if (settingsText === null) {
    // Where Claude Code is not written for, its settings file is none of dp's business.
    if (recordedTargets(record).includes('claude')) findings.push({ level: 'problem', text: `${SETTINGS_PATH} is missing`, fix: 'restore' });
  } else {
    try {
      parseSettings(settingsText, SETTINGS_PATH);
      findings.push({ level: 'ok', text: `${SETTINGS_PATH} is valid` });
    } catch (error) {
      findings.push({ level: 'problem', text: (error as DpError).message });
    }
  }
  const declined = Object.values(record.managed.settings.declined.rules).flat();
  if (declined.length > 0) findings.push({ level: 'warn', text: `rules you removed stay removed: ${declined.join(', ')}` });
  const broken = findings.filter((f) => f.level === 'problem').length;
  if (broken === 0) findings.unshift({ level: 'ok', text: `${record.active.map((a) => a.id).join(', ')} applied: ${Object.keys(record.managed.files).length} files and ${Object.keys(record.managed.sections).length} sections in place, written for ${recordedTargets(record).join(', ')}` });
  return findings;
}

/** An executable file of that name in a directory of PATH (a PATH directory this user cannot read is passed over). */
function onPath(command: string): boolean {
  // Windows finds a command by its extensions (nvidia-smi.exe).
  const names = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE').split(';').filter(Boolean).map((ext) => `${command}${ext.toLowerCase()}`) : [command];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      try {
        const file = join(dir, name);
        if (statSync(file).isFile()) {
          accessSync(file, constants.X_OK);
          return true;
        }
      } catch {
        // not there, or not executable by this user
      }
    }
  }
  return false;
}

async function gpuFinding(record: PersonaRecord | null): Promise<Finding> {
  // Where dp installed the GPU monitor, a missing nvidia-smi is worth a warning.
  const needed = record !== null && 'scripts/gpu_monitor.mjs' in record.managed.files;
  const consequence = needed ? '; the GPU tools report this and exit with code 2' : '';
  // Not installed is said as such: spawning a command that is not on PATH can also fail with EACCES.
  if (!onPath('nvidia-smi')) return { level: needed ? 'warn' : 'ok', text: `nvidia-smi is not installed (not on PATH)${needed ? '; the GPU tools need it and exit with code 2 without it: it comes with the NVIDIA driver' : ''}` };
  const result = await runSmi(['-L'], { timeoutMs: 5000 });
  if (result.ok) return { level: 'ok', text: `nvidia-smi reachable: ${result.stdout.trim().split('\n').length} GPU line(s)` };
  return { level: needed ? 'warn' : 'ok', text: `${describeSmiFailure(result)}${consequence}` };
}

async function diagnose(root: string): Promise<{ findings: Finding[]; record: PersonaRecord | null }> {
  const findings: Finding[] = [nodeFinding()];
  let record: PersonaRecord | null = null;
  try {
    record = readRecordOnDisk(root);
  } catch (error) {
    findings.push({ level: 'problem', text: (error as DpError).message });
    return { findings, record };
  }
  if (!record) findings.push({ level: 'problem', text: `no persona is applied here (no ${RECORD_PATH}): dp persona add <persona>` });
  else findings.push(...recordFindings(root, record));
  findings.push(await gpuFinding(record));
  return { findings, record };
}

function print(findings: Finding[]): void {
  for (const f of findings) process.stdout.write(`${f.level.padEnd(7)}  ${f.text}${f.fix ? '  (dp doctor --fix)' : ''}\n`);
}

export async function doctorCommand(argv: string[]): Promise<number> {
  const { values } = parse('doctor', argv, { ...COMMON, fix: { type: 'boolean' }, json: { type: 'boolean' } });
  const root = repoRoot(values.cwd);
  const json = values.json ?? false;
  let { findings, record } = await diagnose(root);
  const fixable = findings.filter((f) => f.fix);
  let fixed: { path: string; status: string; detail?: string }[] | undefined;
  if (values.fix && record && fixable.length > 0) {
    fixed = [];
    for (const f of fixable) {
      if (f.fix === 'chmod' && f.path) {
        chmodSync(join(root, f.path), 0o755);
        fixed.push({ path: f.path, status: 'restored', detail: 'made executable again' });
      }
    }
    if (fixable.some((f) => f.fix === 'restore')) {
      // Restoring re-applies the active personas: anything else this version changes is reported too.
      const result = applyOnDisk(root, (active) => active, { onConflict: 'keep', restoreDeleted: true });
      const outcomes = [...result.outcomes, ...ownFiles(result.outcomes, result.changes, result.before)];
      fixed.push(...outcomes.filter((o) => o.status !== 'unchanged'));
      if (!json) for (const line of formatOutcomes(outcomes, result.notes, deletedPaths(result.changes))) process.stdout.write(`  ${line}\n`);
    }
    if (!json) process.stdout.write(`dp doctor: fixed ${fixable.length} problem(s); checking again\n`);
    ({ findings, record } = await diagnose(root));
  }
  const problems = findings.filter((f) => f.level === 'problem').length;
  if (json) {
    const shown = findings.map(({ level, text, fix, path }) => ({ level, text, ...(path ? { path } : {}), fixable: fix !== undefined }));
    process.stdout.write(`${JSON.stringify({ ok: problems === 0, problems, findings: shown, ...(fixed ? { fixed } : {}) }, null, 2)}\n`);
    return problems === 0 ? 0 : 1;
  }
  print(findings);
  process.stdout.write(problems === 0 ? 'dp doctor: no problems\n' : `dp doctor: ${problems} problem(s)${findings.some((f) => f.fix) ? '; dp doctor --fix repairs those marked' : ''}\n`);
  return problems === 0 ? 0 : 1;
}
