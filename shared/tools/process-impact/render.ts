// The plain-text report, laid out like the seed's example: Current State, Resources, Checkpoints, If Killed Now,
// Child Processes, Distributed Training Impact, Recommendations. Unknown facts print as "unknown" with the reason.
import { basename, relative } from 'node:path';
import { formatBytes, formatDuration, formatMiB, formatPercent } from '../lib/format.js';
import { clockTicksPerSecond } from '../lib/proc.js';
import { visibleLength, type Stylist } from '../lib/term.js';
import type { Analysis } from './analyze.js';
import { commandString } from './identity.js';
import { SCAN_LIMITS } from './checkpoints.js';

const TITLES = { W: 'Wait', G: 'Graceful shutdown', S: 'Suspend', K: 'Kill now' } as const;

/** Wrap `text` to `width` columns; continuation lines get `indent`. */
export function wrap(text: string, width: number, indent: string): string {
  const lead = /^ */.exec(text)![0];
  const words = text.slice(lead.length).split(' ');
  const lines: string[] = [];
  let line = lead;
  for (const word of words) {
    if (line.trim() !== '' && visibleLength(line) + 1 + visibleLength(word) > width) {
      lines.push(line);
      line = indent + word;
    } else line = line.trim() === '' ? `${line}${word}` : `${line} ${word}`;
  }
  if (line.trim() !== '') lines.push(line);
  return lines.join('\n');
}

/** Durations as formatDuration, but sub-10-second ones with a decimal ("0.4s"), so short intervals do not read "0s". */
export function seconds(value: number | null): string {
  if (value !== null && Number.isFinite(value) && value < 10) return `${Math.max(0, value).toFixed(1)}s`;
  return formatDuration(value);
}

function timestamp(iso: string | null): string {
  return iso === null ? 'unknown' : iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function renderText(analysis: Analysis, style: Stylist, width = 100): string {
  const { json, facts } = analysis;
  const cwd = analysis.checkpoints.scan.roots[0] ?? null;
  const show = (path: string) => {
    if (!cwd) return path;
    const rel = relative(cwd, path);
    return rel !== '' && !rel.startsWith('..') && !rel.startsWith('/') ? rel : path;
  };
  const out: string[] = [];
  const head = (title: string) => {
    out.push('');
    out.push(style('bold', `${title}:`));
  };
  const row = (label: string, value: string) => out.push(wrap(`  ${`${label}:`.padEnd(12)}${value}`, width, ' '.repeat(14)));
  const warn = (text: string) => out.push(wrap(`  ${style('yellow', '⚠')}  ${text}`, width, '      '));
  const good = (text: string) => out.push(wrap(`  ${style('green', '✓')}  ${text}`, width, '      '));

  const [program, script] = facts.entry.cmdline;
  const short = program === undefined ? `[${facts.entry.comm}]` : [basename(program), script !== undefined && /\.(py|sh|js|mjs|cjs|ts)$/.test(script) ? basename(script) : script].filter((a) => a !== undefined).join(' ');
  const title = `Process Impact Analysis - PID: ${json.pid} (${short})`;
  out.push(style('bold', title));
  out.push('═'.repeat(Math.min(width, title.length)));

  head('Current State');
  row('Command', json.command);
  row('User', json.user ?? 'unknown');
  let state = json.state;
  if (facts.entry.state === 'T') state += ' - not making progress until it gets SIGCONT';
  if (facts.entry.state === 'D') state += ' - waiting on I/O; signals take effect when it returns';
  row('State', state);
  row('Started', `${timestamp(json.startedAt)} (running for ${formatDuration(json.runtimeSeconds)})`);
  const parent = analysis.parent;
  if (parent) {
    const copy = parent.cmdline.length > 0 && parent.cmdline.join('\0') === facts.entry.cmdline.join('\0');
    const hint = copy ? ' - same command: this looks like a worker of it; analyse the parent to see the whole run' : '';
    row('Parent', `PID ${parent.pid} (${truncate(commandString(parent), 60)})${hint}`);
  }
  const p = json.progress;
  if (p) {
    const amount = p.unit === 'epoch' ? `Epoch ${p.current}/${p.total}` : `${p.current}${p.total !== null ? `/${p.total}` : ''} ${p.unit}`;
    row('Progress', `${amount}${p.percent !== null ? ` (${formatPercent(p.percent)})` : ''}`);
    const age = analysis.progress.source?.mtimeMs ? `; log last written ${formatDuration((Date.now() - analysis.progress.source.mtimeMs) / 1000)} ago` : '';
    row('Source', `${p.source}${age}`);
    row('ETA', p.etaSeconds === null ? `unknown (${analysis.progress.note.replace(/^no ETA: /, '')})` : `${formatDuration(p.etaSeconds)} (${analysis.progress.note})`);
  } else {
    const streams = analysis.logNotes.length > 0 ? `; ${analysis.logNotes.join('; ')}` : '';
    row('Progress', `unknown (${analysis.progress.note}${streams})`);
  }

  head('Resources');
  const cpu = analysis.cpu;
  if (cpu.samplePercent !== null) {
    const tree = analysis.tree.length > 0 && cpu.treePercent !== null ? `; with its ${analysis.tree.length} descendant${analysis.tree.length === 1 ? '' : 's'}: ${(cpu.treePercent / 100).toFixed(1)} cores` : '';
    row('CPU', `${(cpu.samplePercent / 100).toFixed(1)} cores busy (${formatPercent(cpu.samplePercent)}) over a ${(cpu.sampleMs / 1000).toFixed(1)} s sample${tree}`);
  } else {
    const runtime = json.runtimeSeconds;
    const lifetime = runtime ? ` - lifetime average ${formatPercent((100 * facts.entry.cpuTicks) / clockTicksPerSecond() / runtime)} (CPU time / runtime, not the current load)` : '';
    row('CPU', cpu.sampleMs === 0 ? `not sampled (--sample-ms 0)${lifetime}` : 'unknown (the process could not be sampled)');
  }
  row('Threads', json.resources.threads === null ? 'unknown' : String(json.resources.threads));
  row('RAM', `${formatBytes(json.resources.rssBytes)} resident (peak ${formatBytes(json.resources.peakRssBytes)}; VmRSS/VmHWM, approximate)`);
  const gpus = analysis.gpu.gpus;
  if (gpus === null) row('GPUs', `unknown (${analysis.gpu.note})`);
  else if (gpus.length === 0) row('GPUs', `none held by this process tree${analysis.gpu.note ? ` (${analysis.gpu.note})` : ''}`);
  else {
    for (const gpu of gpus) {
      const label = gpu.index !== null ? `GPU ${gpu.index}` : (gpu.device ?? 'GPU ?');
      const util = gpu.utilizationPercent === null ? 'util unknown' : `${formatPercent(gpu.utilizationPercent)} util (whole GPU)`;
      const mem = gpu.usedMemoryMiB === null ? 'memory unknown' : `${formatMiB(gpu.usedMemoryMiB)} used by this tree`;
      const who = `PID${gpu.pids.length > 1 ? 's' : ''} ${gpu.pids.join(', ')}`;
      row(label, `${util}, ${mem} (${who}${gpu.name ? `; ${gpu.name}` : ''}${gpu.uuid ? `; ${gpu.uuid}` : ''})`);
    }
    if (analysis.gpu.note) row('', analysis.gpu.note);
  }

  head('Checkpoints');
  const ck = analysis.checkpoints;
  const latest = json.checkpoints.latest;
  if (latest) {
    const tag = ck.latest?.lightning ? ` (epoch ${ck.latest.lightning.epoch}, step ${ck.latest.lightning.step})` : ck.latest?.trainerState?.globalStep != null ? ` (step ${ck.latest.trainerState.globalStep})` : '';
    row('Last saved', `${seconds(latest.ageSeconds)} ago${tag}`);
    row('Location', show(latest.path));
    row('Size', formatBytes(latest.sizeBytes));
  } else row('Last saved', `none found (${ck.intervalNote})`);
  row('Interval', json.checkpoints.intervalSeconds === null ? `unknown (${ck.intervalNote})` : `~${seconds(json.checkpoints.intervalSeconds)} (${ck.intervalNote})`);
  const next = ck.next(Date.now());
  row('Next due', json.checkpoints.nextInSeconds === null ? `unknown (${next.formula})` : `in ~${seconds(json.checkpoints.nextInSeconds)} (estimate: ${next.formula})`);
  row('Searched', `${ck.scan.roots.map(show).join(', ') || 'nothing'} (${ck.scan.visited} entries, depth ${SCAN_LIMITS.maxDepth}${ck.scan.truncated ? '; stopped at the entry limit' : ''})`);

  head('If Killed Now');
  const k = json.ifKilledNow;
  const gpuCount = gpus?.length ?? null;
  if (k.lostSeconds === null) warn('Work lost: unknown (start time unreadable)');
  else warn(`Work lost: ${seconds(k.lostSeconds)} of compute since ${latest ? 'the last checkpoint' : 'the process started (no checkpoint found)'}`);
  if (k.gpuHoursLost === null) warn(`GPU-hours lost: unknown (${analysis.gpu.note ?? 'GPUs unknown'})`);
  else if (gpuCount) {
    warn(`GPU-hours lost: ${k.gpuHoursLost.toFixed(2)} (${gpuCount} GPU${gpuCount > 1 ? 's' : ''} × ${seconds(k.lostSeconds)})`);
    const world = json.distributed?.worldSize;
    if (world && world > 1) out.push(`      whole job, if every rank holds as many GPUs and loses as much: ~${(k.gpuHoursLost * world).toFixed(2)} GPU-hours (estimate)`);
  } else good('GPU-hours lost: 0 (no GPU held)');
  if (k.resumeFrom) good(`Recovery possible from ${show(k.resumeFrom)}`);
  else warn('Nothing to resume from: no checkpoint found; a restart begins from scratch');
  for (const write of ck.writes) {
    warn(`Being written right now: ${show(write.path)} (PID ${write.pid}, ${formatBytes(write.pos)} written so far): killing mid-write leaves it truncated or corrupt`);
  }

  head(`Child Processes (${analysis.tree.length > 0 ? '[S] and [K] act on all of them' : 'none'})`);
  for (const member of analysis.tree) {
    out.push(wrap(`  ${'  '.repeat(member.depth - 1)}- ${member.role} (PID ${member.entry.pid}): ${truncate(json.children.find((c) => c.pid === member.entry.pid)?.command ?? '', 80)}`, width, '      '));
  }
  if (analysis.tree.some((m) => m.role === 'DataLoader worker' || m.role.startsWith('forked worker'))) {
    out.push('    DataLoader workers watch their parent and exit when it dies.');
  }
  if (analysis.helpers.length > 0) {
    out.push('  Helpers serving it, left out of [S]/[K] (they exit by themselves when it ends):');
    for (const helper of analysis.helpers) {
      const where = helper.descendant ? 'a child in its own session' : 'not a descendant';
      out.push(wrap(`  - ${helper.role} (PID ${helper.entry.pid}, via ${helper.link}; ${where}): ${truncate(helper.entry.cmdline.join(' '), 80)}`, width, '      '));
    }
  }

  head('Distributed Training Impact');
  const d = analysis.distributed;
  if (!d) {
    const why = analysis.environ.ok ? 'no launcher above it and no RANK/WORLD_SIZE/SLURM/MPI variables in its environment' : `environment unreadable (${analysis.environ.message}) and no launcher above it`;
    out.push(`  Not distributed as far as can be seen (${why})`);
  } else {
    const j = d.json;
    row('Launcher', `${j.launcher ?? 'unknown'}${d.agent ? ` (${d.agent.comm}, PID ${d.agent.pid})` : ''}`);
    row('Rank', `${j.rank ?? 'unknown'} of ${j.worldSize ?? 'unknown'} (local rank ${j.localRank ?? 'unknown'})${j.rank === 0 ? ' - the master rank' : ''}`);
    row('Master', j.masterAddr ? `${j.masterAddr}:${j.masterPort ?? 'unknown'}` : 'unknown (MASTER_ADDR not set)');
    row('If killed', j.peers.ifKilled);
    row('If stopped', j.peers.ifSuspended);
    for (const line of d.details) out.push(wrap(`  - ${line}`, width, '    '));
  }

  head('Recommendations');
  for (const rec of json.recommendations) {
    const name = `[${rec.key}] ${TITLES[rec.key]}${rec.signal ? ` (${rec.signal})` : ''}`;
    const colour = rec.key === 'K' ? 'red' : rec.key === 'W' ? 'green' : 'cyan';
    out.push(wrap(`  ${style(colour, name)}: ${rec.reason}`, width, '      '));
  }
  if (analysis.masks.caughtNames) out.push(`  Caught signals (SigCgt): ${analysis.masks.caughtNames.join(', ') || 'none'}`);

  if (analysis.unreadable.length > 0) {
    out.push('');
    out.push(`Not readable (process of ${json.user ?? 'another user'}; run as that user or root for these):`);
    for (const item of analysis.unreadable) out.push(`  - ${item}`);
  }
  return `${out.join('\n')}\n`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
