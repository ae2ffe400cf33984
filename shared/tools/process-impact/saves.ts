// "Saved checkpoint" lines in the logs a process writes: the saves of a job that overwrites one checkpoint file (or
// directory) in place, which the file system shows only as one mtime. Each framework's line is quoted from its source:
// see SAVE_LINES and docs/tools/process-impact.md "Save lines in the log". Pure functions over log text.

export interface SaveLine {
  /** Which framework's line it is ("Hugging Face Trainer", "DeepSpeed", ...), or "plain print". */
  framework: string;
  path: string | null;
  step: number | null;
  epoch: number | null;
  /** Time from the line's own timestamp (Python logging's asctime is local time), when it has one. */
  atMs: number | null;
  text: string;
  /** Line number in the text read (for grouping the lines of one save). */
  line: number;
  /** The line ends a save that an earlier line began ("Finished saving ..."). */
  ends: boolean;
}

interface SaveLineRule {
  framework: string;
  pattern: RegExp;
  /** Where the line is written, for the docs and for anyone checking the pattern against a new release. */
  source: string;
  /** It ends a save begun by an earlier line (merged into it, however long the save took). */
  ends?: boolean;
}

/** Known save lines, most specific first. Group 1 (when present) is the path saved to. */
export const SAVE_LINES: SaveLineRule[] = [
  {
    framework: 'Hugging Face Trainer',
    pattern: /Saving model checkpoint to (\S+)/,
    source: 'huggingface/transformers src/transformers/trainer.py Trainer._save: logger.info(f"Saving model checkpoint to {output_dir}")',
  },
  {
    framework: 'PyTorch Lightning',
    pattern: /Epoch \d+, global step \d+: .*saving model to '([^']+)'/,
    source: 'Lightning-AI/pytorch-lightning src/lightning/pytorch/callbacks/model_checkpoint.py (verbose=True): f"Epoch {epoch:d}, global step {step:d}: {monitor!r} reached ... saving model to {filepath!r} as top {k}"',
  },
  {
    framework: 'DeepSpeed',
    pattern: /Saving model checkpoint: (\S+)/,
    source: 'deepspeedai/DeepSpeed deepspeed/runtime/engine.py _save_checkpoint: log_dist(f"Saving model checkpoint: {save_path}", ranks=[0])',
  },
  {
    framework: 'DeepSpeed',
    pattern: /\[Torch\] Saved (\S+?)\.?$/,
    source:
      'deepspeed runtime/checkpoint_engine/torch_checkpoint_engine.py save: logger.info(f"[Torch] Saved {path}.") (older releases; recent ones comment it out and log only create()\'s "[Torch] Checkpoint {tag} is about to be saved!", which the plain-print rule reads)',
    ends: true,
  },
  {
    framework: 'torch.distributed.checkpoint (torchtitan)',
    pattern: /Saving a (?:full|model only) checkpoint/,
    source:
      'torch.distributed.checkpoint logs no save line itself; pytorch/torchtitan torchtitan/components/checkpoint.py, which saves with dcp.save, logs "Saving a full checkpoint at step {curr_step}" ...',
  },
  {
    framework: 'torch.distributed.checkpoint (torchtitan)',
    pattern: /Finished saving the checkpoint/,
    source: '... then "Finished saving the checkpoint (or staging if async is enabled) in {s} seconds."',
    ends: true,
  },
  {
    framework: 'plain print',
    pattern: /\b(?:saved|saving|wrote|writing|stored)\b[^\n]{0,60}?\bcheckpoint\b|\bcheckpoint\b[^\n]{0,60}?\b(?:saved|written|stored)\b/i,
    source: 'print()/logging lines of custom loops, e.g. print(f"Saved checkpoint to {path}")',
  },
];

const TIMESTAMP = /(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,6}))?(Z|[+-]\d{2}:?\d{2})?/;

/** The time a log line was written, from its own timestamp: ISO/asctime "2025-04-01 00:25:59,616". Local time without a zone. */
export function timestampOf(text: string): number | null {
  const m = TIMESTAMP.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  if (m[8]) {
    const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${String(ms).padStart(3, '0')}${m[8].length === 5 ? `${m[8].slice(0, 3)}:${m[8].slice(3)}` : m[8]}`;
    const value = Date.parse(iso);
    return Number.isNaN(value) ? null : value;
  }
  return new Date(year, month - 1, day, hour, minute, second, ms).getTime();
}

const PATH_IN_TEXT = /(?:^|[\s'"=:(])((?:\/|\.\/|~\/)?[\w.~-]+(?:\/[\w.=~-]+)*\.(?:pt|pth|ckpt|safetensors|bin|h5|keras|pkl|npz)|(?:\/|\.\/)?[\w.~-]+(?:\/[\w.=~-]+)*\/(?:checkpoint[-_]\d+|global_step\d+|step-\d+))\b/;
const STEP_IN_TEXT = /(?:\bglobal[_ ]step|\bstep|checkpoint[-_]|global_step)\s*[=:]?\s*(\d+)/i;
const EPOCH_IN_TEXT = /\bepoch\s*[=:_]?\s*(\d+)/i;

/** Every save line in `text` ('\r' redraws split like newlines), in order. */
export function parseSaveLines(text: string): SaveLine[] {
  const saves: SaveLine[] = [];
  const lines = text.split(/[\r\n]+/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line.length === 0 || line.length > 2000) continue;
    const rule = SAVE_LINES.find((r) => r.pattern.test(line));
    if (!rule) continue;
    // Loading lines mention checkpoints too: "Loading checkpoint", "resumed from checkpoint".
    if (rule.framework === 'plain print' && /\b(load|loading|loaded|resum\w*|restor\w*|no checkpoint|not saved|failed)\b/i.test(line)) continue;
    const captured = rule.pattern.exec(line)?.[1] ?? null;
    const path = captured ?? PATH_IN_TEXT.exec(line)?.[1] ?? null;
    const lightning = /Epoch (\d+), global step (\d+)/.exec(line);
    const step = lightning ? Number(lightning[2]) : numberIn(STEP_IN_TEXT, path ? `${line} ${path}` : line);
    const epoch = lightning ? Number(lightning[1]) : numberIn(EPOCH_IN_TEXT, line);
    saves.push({ framework: rule.framework, path, step, epoch, atMs: timestampOf(line), text: line, line: index, ends: rule.ends === true });
  }
  return saves;
}

function numberIn(pattern: RegExp, text: string): number | null {
  const m = pattern.exec(text);
  return m ? Number(m[1]) : null;
}

/** One save: the lines written for it (DeepSpeed writes one per file; "Saving ..." then "Finished ...") merged. */
export interface SaveEvent {
  framework: string;
  path: string | null;
  step: number | null;
  epoch: number | null;
  atMs: number | null;
  lines: number;
}

/** Lines of one save: the same step, timestamps within 5 s, or (with neither) lines at most 3 apart. */
export function groupSaves(lines: SaveLine[]): SaveEvent[] {
  const events: (SaveEvent & { last: SaveLine; ended: boolean })[] = [];
  for (const line of lines) {
    const prev = events[events.length - 1];
    const same =
      prev !== undefined &&
      ((line.step !== null && line.step === prev.step) ||
        (line.ends && !prev.ended && (line.step === null || prev.step === null)) ||
        (line.step === null && line.atMs !== null && prev.atMs !== null && Math.abs(line.atMs - prev.atMs) <= 5000) ||
        (line.step === null && line.atMs === null && prev.last.atMs === null && line.line - prev.last.line <= 3));
    if (same) {
      prev.lines += 1;
      prev.last = line;
      prev.ended ||= line.ends;
      prev.step ??= line.step;
      prev.path ??= line.path;
      // A framework's own line names the save better than a generic one ("Checkpoint X is about to be saved!").
      if (prev.framework === 'plain print') prev.framework = line.framework;
      prev.epoch ??= line.epoch;
      if (line.atMs !== null) prev.atMs = line.atMs;
      continue;
    }
    events.push({ framework: line.framework, path: line.path, step: line.step, epoch: line.epoch, atMs: line.atMs, lines: 1, last: line, ended: line.ends });
  }
  return events.map(({ last: _last, ended: _ended, ...event }) => event);
}

/** Median of the gaps between the last (up to 6) values; null with fewer than two. */
export function medianGap(values: number[]): number | null {
  const recent = values.slice(-6);
  if (recent.length < 2) return null;
  const gaps = recent
    .slice(1)
    .map((v, i) => v - recent[i]!)
    .filter((g) => g > 0)
    .sort((a, b) => a - b);
  if (gaps.length === 0) return null;
  const mid = Math.floor(gaps.length / 2);
  return gaps.length % 2 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2;
}
