// The plain-text report, laid out like the seed's example: Current State, Resources, Checkpoints, If Killed Now,
// Child Processes, Distributed Training Impact, Recommendations. Unknown facts print as "unknown" with the reason.
import { basename, relative } from 'node:path';
import { formatBytes, formatMiB, formatPercent } from '../lib/format.js';
import { commandString, cpuPercent } from '../lib/proc.js';
import { escapeControl, wrap, type Stylist } from '../lib/term.js';
import type { Analysis } from './analyze.js';
import { SCAN_LIMITS } from './checkpoints.js';
import { durationText, gpuHoursText } from './numbers.js';

const TITLES = { W: 'Wait', G: 'Graceful shutdown', S: 'Suspend', K: 'Kill now' } as const;

const seconds = durationText;

function timestamp(iso: string | null): string {
  return iso === null ? 'unknown' : iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The report being written: its lines and the ways a section adds to them. */
interface Report {
  out: string[];
  style: Stylist;
  /** `text` wrapped to the width, continuation lines starting with `indent`. */
  wrapped(text: string, indent: string): void;
  head(title: string): void;
  /** "  Label:     value", the value's continuation lines aligned under it. */
  row(label: string, value: string): void;
  warn(text: string): void;
  good(text: string): void;
  /** A path relative to the process's working directory when it lies below it. */
  show(path: string): string;
}

function report(analysis: Analysis, style: Stylist, width: number): Report {
  const out: string[] = [];
  const cwd = analysis.checkpoints.scan.roots[0] ?? null;
  const wrapped = (text: string, indent: string) => out.push(wrap(text, width, indent).join('\n'));
  return {
    out,
    style,
    wrapped,
    head: (title) => out.push('', style('bold', `${title}:`)),
    // Values come from the process (paths, command lines, log lines): control characters are shown escaped.
    row: (label, value) => wrapped(`  ${`${label}:`.padEnd(12)}${escapeControl(value)}`, ' '.repeat(14)),
    warn: (text) => wrapped(`  ${style('yellow', '⚠')}  ${escapeControl(text)}`, '      '),
    good: (text) => wrapped(`  ${style('green', '✓')}  ${escapeControl(text)}`, '      '),
    show: (path) => {
      if (!cwd) return path;
      const rel = relative(cwd, path);
      return rel !== '' && !rel.startsWith('..') && !rel.startsWith('/') ? rel : path;
    },
  };
}

export function renderText(analysis: Analysis, style: Stylist, width = 100): string {
  const r = report(analysis, style, width);
  title(analysis, r, width);
  currentState(analysis, r);
  resources(analysis, r);
  checkpoints(analysis, r);
  ifKilledNow(analysis, r);
  estimates(analysis, r);
  childProcesses(analysis, r);
  distributedTraining(analysis, r);
  slurmJob(analysis, r);
  recommendations(analysis, r);
  notReadable(analysis, r);
  return `${r.out.join('\n')}\n`;
}

function title({ json, facts }: Analysis, r: Report, width: number): void {
  const [program, script] = facts.entry.cmdline;
  const short = program === undefined ? `[${facts.entry.comm}]` : [basename(program), script !== undefined && /\.(py|sh|js|mjs|cjs|ts)$/.test(script) ? basename(script) : script].filter((a) => a !== undefined).join(' ');
  const text = `Process Impact Analysis - PID: ${json.pid} (${escapeControl(short)})`;
  r.out.push(r.style('bold', text));
  r.out.push('═'.repeat(Math.min(width, text.length)));
}

function currentState(analysis: Analysis, r: Report): void {
  const { json, facts } = analysis;
  r.head('Current State');
  r.row('Command', json.command);
  r.row('User', json.user ?? 'unknown');
  let state = json.state;
  if (facts.entry.state === 'T') state += ' - not making progress until it gets SIGCONT';
  if (facts.entry.state === 'D') state += ' - waiting on I/O; signals take effect when it returns';
  r.row('State', state);
  r.row('Started', `${timestamp(json.startedAt)} (running for ${seconds(json.runtimeSeconds)})`);
  const parent = analysis.parent;
  if (parent) {
    const copy = parent.cmdline.length > 0 && parent.cmdline.join('\0') === facts.entry.cmdline.join('\0');
    const hint = copy ? ' - same command: this looks like a worker of it; analyse the parent to see the whole run' : '';
    r.row('Parent', `PID ${parent.pid} (${truncate(commandString(parent.cmdline, parent.comm, { quote: true }), 60)})${hint}`);
  }
  const p = json.progress;
  if (p) {
    const amount = p.unit === 'epoch' ? `Epoch ${p.current}/${p.total}` : `${p.current}${p.total !== null ? `/${p.total}` : ''} ${p.unit}`;
    r.row('Progress', `${amount}${p.percent !== null ? ` (${formatPercent(p.percent)})` : ''}`);
    const age = analysis.progress.source?.mtimeMs ? `; log last written ${seconds((Date.now() - analysis.progress.source.mtimeMs) / 1000)} ago` : '';
    r.row('Source', `${p.source}${age}`);
    r.row('ETA', p.etaSeconds === null ? `unknown (${analysis.progress.note.replace(/^no ETA: /, '')})` : `${seconds(p.etaSeconds)} (${analysis.progress.note})`);
  } else {
    const streams = analysis.logNotes.length > 0 ? `; ${analysis.logNotes.join('; ')}` : '';
    r.row('Progress', `unknown (${analysis.progress.note}${streams})`);
  }
}

function resources(analysis: Analysis, r: Report): void {
  const { json, facts, cpu } = analysis;
  r.head('Resources');
  if (cpu.samplePercent !== null) {
    const tree = analysis.tree.length > 0 && cpu.treePercent !== null ? `; with its ${analysis.tree.length} descendant${analysis.tree.length === 1 ? '' : 's'}: ${(cpu.treePercent / 100).toFixed(1)} cores` : '';
    r.row('CPU', `${(cpu.samplePercent / 100).toFixed(1)} cores busy (${formatPercent(cpu.samplePercent)}) over a ${(cpu.sampleMs / 1000).toFixed(1)} s sample${tree}`);
  } else {
    const runtime = json.runtimeSeconds;
    const lifetime = runtime ? ` - lifetime average ${formatPercent(cpuPercent(facts.entry.cpuTicks, runtime))} (CPU time / runtime, not the current load)` : '';
    r.row('CPU', cpu.sampleMs === 0 ? `not sampled (--sample-ms 0)${lifetime}` : 'unknown (the process could not be sampled)');
  }
  r.row('Threads', json.resources.threads === null ? 'unknown' : String(json.resources.threads));
  r.row('RAM', `${formatBytes(json.resources.rssBytes)} resident (peak ${formatBytes(json.resources.peakRssBytes)}; VmRSS/VmHWM, approximate)`);
  const gpus = analysis.gpu.gpus;
  if (gpus === null) r.row('GPUs', `unknown (${analysis.gpu.note})`);
  else if (gpus.length === 0) r.row('GPUs', `none held by this process tree${analysis.gpu.note ? ` (${analysis.gpu.note})` : ''}`);
  else {
    for (const gpu of gpus) {
      const label = gpu.index !== null ? `GPU ${gpu.index}` : (gpu.device ?? 'GPU ?');
      const util = gpu.utilizationPercent === null ? 'util unknown' : `${formatPercent(gpu.utilizationPercent)} util (whole GPU)`;
      const mem = gpu.usedMemoryMiB === null ? 'memory unknown' : `${formatMiB(gpu.usedMemoryMiB)} used by this tree`;
      const who = `PID${gpu.pids.length > 1 ? 's' : ''} ${gpu.pids.join(', ')}`;
      r.row(label, `${util}, ${mem} (${who}${gpu.name ? `; ${gpu.name}` : ''}${gpu.uuid ? `; ${gpu.uuid}` : ''})`);
    }
    if (analysis.gpu.note) r.row('', analysis.gpu.note);
  }
}

function checkpoints(analysis: Analysis, r: Report): void {
  const { json, next } = analysis;
  const ck = analysis.checkpoints;
  const latest = json.checkpoints.latest;
  r.head('Checkpoints');
  if (latest) {
    const tag = ck.latest?.lightning ? ` (epoch ${ck.latest.lightning.epoch}, step ${ck.latest.lightning.step})` : ck.latest?.trainerState?.globalStep != null ? ` (step ${ck.latest.trainerState.globalStep})` : '';
    r.row('Last saved', `${seconds(latest.ageSeconds)} ago${tag}`);
    r.row('Location', r.show(latest.path));
    r.row('Size', formatBytes(latest.sizeBytes));
  } else r.row('Last saved', `none found (${ck.intervalNote})`);
  r.row('Interval', json.checkpoints.intervalSeconds === null ? `unknown (${ck.intervalNote})` : `~${seconds(json.checkpoints.intervalSeconds)} (${ck.intervalNote})`);
  const save = json.checkpoints.lastLogSave;
  if (save) {
    const at = save.at ? ` at ${timestamp(save.at)}` : '';
    const where = [save.step !== null ? `step ${save.step}` : null, save.epoch !== null ? `epoch ${save.epoch}` : null, save.path ? r.show(save.path) : null].filter(Boolean).join(', ');
    r.row('Log says', `last "saved checkpoint" line: ${save.framework}${where ? ` (${where})` : ''}${at}, in ${analysis.logEvidence.path ? r.show(analysis.logEvidence.path) : 'its log'}`);
  }
  if (json.checkpoints.intervalSteps !== null) r.row('Every', `${json.checkpoints.intervalSteps} steps (the step numbers of its save lines)`);
  if (analysis.watched) r.row('Watched', `${analysis.watched.seconds} s (${analysis.watched.polls} looks at its checkpoints and state)`);
  r.row('Next due', json.checkpoints.nextInSeconds === null ? `unknown (${next.formula})` : `in ~${seconds(json.checkpoints.nextInSeconds)} (estimate: ${next.formula})`);
  r.row('Searched', `${ck.scan.roots.map(r.show).join(', ') || 'nothing'} (${ck.scan.visited} entries, depth ${SCAN_LIMITS.maxDepth}${ck.scan.truncated ? '; stopped at the entry limit' : ''})`);
}

function ifKilledNow(analysis: Analysis, r: Report): void {
  const { json } = analysis;
  const k = json.ifKilledNow;
  const gpuCount = analysis.gpu.gpus?.length ?? null;
  r.head('If Killed Now');
  if (k.lostSeconds === null) r.warn(`Work lost: unknown (${k.lostFormula})`);
  else r.warn(`Work lost: ${seconds(k.lostSeconds)} of compute (${k.lostFormula})`);
  if (k.lostWork) r.warn(`In its own units: ${k.lostWork.amount} ${k.lostWork.unit}${k.lostWork.amount === 1 ? '' : 's'} since the last save (estimate: ${k.lostWork.formula})`);
  if (k.gpuHoursLost === null) r.warn(`GPU-hours lost: unknown (${analysis.gpu.note ?? 'GPUs unknown'})`);
  else if (gpuCount) r.warn(`GPU-hours lost: ${gpuHoursText(k.gpuHoursLost)} (${gpuCount} GPU${gpuCount > 1 ? 's' : ''} × ${seconds(k.lostSeconds)})`);
  else r.good('GPU-hours lost: 0 (no GPU held)');
  if (k.jobGpuHoursLost !== null) r.warn(`Whole job: ${gpuHoursText(k.jobGpuHoursLost)} GPU-hours (${k.jobGpuHoursFormula})`);
  if (k.resumeFrom) r.good(`Recovery possible from ${r.show(k.resumeFrom)}`);
  else r.warn('Nothing to resume from: no checkpoint found; a restart begins from scratch');
  for (const write of analysis.checkpoints.writes) {
    r.warn(`Being written right now: ${r.show(write.path)} (PID ${write.pid}, ${formatBytes(write.pos)} written so far): killing mid-write leaves it truncated or corrupt`);
  }
}

function estimates({ json }: Analysis, r: Report): void {
  const e = json.estimates;
  r.head('Estimates');
  const line = (label: string, value: number | null, formula: string) => r.row(label, value === null ? `unknown (${formula})` : `${seconds(value)} (${formula})`);
  line('Total run', e.totalRuntimeSeconds, e.totalRuntimeFormula);
  line('Start-up', e.startupSeconds, e.startupFormula);
  line('Recovery', e.recoverySeconds, e.recoveryFormula);
}

function slurmJob({ json }: Analysis, r: Report): void {
  const s = json.slurm;
  if (!s) return;
  r.head(`Slurm Job ${s.jobId}${s.state ? ` (${s.state})` : ''}`);
  const alloc = s.nodes !== null && s.gpus !== null ? `${s.nodes} node${s.nodes === 1 ? '' : 's'} x ${s.gpusPerNode ?? '?'} GPUs = ${s.gpus} GPUs` : 'unknown';
  r.row('Allocation', `${alloc} (${s.allocationSource})`);
  r.row('At stake', s.gpuHoursAtStake === null ? 'unknown (GPU count or lost work unknown)' : `${gpuHoursText(s.gpuHoursAtStake)} GPU-hours job-wide (lost compute × ${s.gpus} GPUs)`);
  r.row('Requeue', s.ifRequeued);
  r.row('Time limit', s.atTimeLimit);
}

function childProcesses(analysis: Analysis, r: Report): void {
  const { json } = analysis;
  const heading = analysis.system ? `not listed: it ${analysis.system.reason}` : analysis.tree.length > 0 ? '[S] and [K] act on all of them' : 'none';
  r.head(`Child Processes (${heading})`);
  for (const member of analysis.tree) {
    r.wrapped(`  ${'  '.repeat(member.depth - 1)}- ${member.role} (PID ${member.entry.pid}): ${truncate(escapeControl(json.children.find((c) => c.pid === member.entry.pid)?.command ?? ''), 80)}`, '      ');
  }
  if (analysis.tree.some((m) => m.role === 'DataLoader worker' || m.role.startsWith('forked worker'))) {
    r.out.push('    DataLoader workers watch their parent and exit when it dies.');
  }
  if (analysis.helpers.length > 0) {
    r.out.push('  Helpers serving it, left out of [S]/[K] (they exit by themselves when it ends):');
    for (const helper of analysis.helpers) {
      const where = helper.descendant ? 'a child in its own session' : 'not a descendant';
      r.wrapped(`  - ${helper.role} (PID ${helper.entry.pid}, via ${helper.link}; ${where}): ${truncate(escapeControl(helper.entry.cmdline.join(' ')), 80)}`, '      ');
    }
  }
}

function distributedTraining(analysis: Analysis, r: Report): void {
  r.head('Distributed Training Impact');
  const d = analysis.distributed;
  if (!d) {
    const why = analysis.environ.ok ? 'no launcher above it and no RANK/WORLD_SIZE/SLURM/MPI variables in its environment' : `environment unreadable (${analysis.environ.message}) and no launcher above it`;
    r.out.push(`  Not distributed as far as can be seen (${escapeControl(why)})`);
    return;
  }
  const j = d.json;
  r.row('Launcher', j.launcher ? `${j.launcher} (${j.launcherEvidence ?? 'seen'})` : 'not named (no launcher process found above it)');
  r.row('Rank', `${j.rank ?? 'unknown'} of ${j.worldSize ?? 'unknown'} (local rank ${j.localRank ?? 'unknown'})${j.rank === 0 ? ' - the master rank' : ''}`);
  r.row('Master', j.masterAddr ? `${j.masterAddr}:${j.masterPort ?? 'unknown'}` : 'unknown (MASTER_ADDR not set)');
  r.row('If killed', j.peers.ifKilled);
  r.row('If stopped', j.peers.ifSuspended);
  for (const line of d.details) r.wrapped(`  - ${escapeControl(line)}`, '    ');
}

function recommendations(analysis: Analysis, r: Report): void {
  r.head('Recommendations');
  for (const rec of analysis.json.recommendations) {
    const name = `[${rec.key}] ${TITLES[rec.key]}${rec.signal ? ` (${rec.signal})` : ''}`;
    const colour = rec.key === 'K' ? 'red' : rec.key === 'W' ? 'green' : 'cyan';
    r.wrapped(`  ${r.style(colour, name)}: ${escapeControl(rec.reason)}`, '      ');
  }
  if (analysis.masks.caughtNames) r.out.push(`  Caught signals (SigCgt): ${analysis.masks.caughtNames.join(', ') || 'none'}`);
}

function notReadable(analysis: Analysis, r: Report): void {
  if (analysis.unreadable.length === 0) return;
  r.out.push('');
  r.out.push(`Not readable (process of ${analysis.json.user ?? 'another user'}; run as that user or root for these):`);
  for (const item of analysis.unreadable) r.out.push(`  - ${escapeControl(item)}`);
}
