// Training progress read from the tail of a log: tqdm bars (redrawn with '\r'), "Epoch i/N" (Keras, custom loops),
// Keras progress bars, "step i/N" lines. Facts: impact.md §2.1 (tqdm format_meter, Lightning bar, Keras ProgbarLogger).
// Pure functions; the ETA is an estimate and says which formula produced it.

export interface Bar {
  n: number;
  total: number | null;
  /** Items per second, when the bar shows a rate. */
  rate: number | null;
  /** tqdm's own "remaining" field in seconds, when shown. */
  remaining: number | null;
  unit: string;
  desc: string;
  kind: 'tqdm' | 'keras';
  /** tqdm's elapsed field: seconds since the bar was created (when shown). */
  elapsed?: number | null;
  /** The rate was taken from the previous bar of the same total (a new tqdm bar shows "?it/s" until it has one). */
  borrowedRate?: boolean;
}

export interface ParsedProgress {
  current: number;
  total: number | null;
  unit: string;
  percent: number | null;
  /** What was read, e.g. "'Epoch 3/10' line + tqdm bar". */
  kind: string;
  etaSeconds: number | null;
  /** How the ETA was computed, or why there is none. */
  etaFormula: string;
  /** Items per second of the innermost bar or line, and their unit ("it", "step"...): for the next-checkpoint estimate. */
  rate: { perSecond: number; unit: string } | null;
  /**
   * Seconds since training progress began, when the bar read covers the whole run from its start (a single bar, or the
   * bar of the first epoch): its elapsed field. For the start-up estimate (estimates.ts); null otherwise.
   */
  sinceFirstProgress?: number | null;
  /** With "Epoch i/N" and a bar after it: how far into epoch i the bar is. */
  epochPart?: { n: number; total: number; unit: string } | null;
}

const SI: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 };

/** tqdm's n_fmt/total_fmt, with unit_scale suffixes: "1.2k" -> 1200. */
export function parseScaled(text: string): number | null {
  const match = /^([\d.]+)([kMGTP]?)$/.exec(text);
  if (!match) return null;
  const value = Number(match[1]) * (match[2] ? SI[match[2]]! : 1);
  return Number.isFinite(value) ? value : null;
}

/** tqdm intervals "[H:]MM:SS" (and "D d H:MM:SS") to seconds; "?" -> null. */
export function parseClock(text: string): number | null {
  const days = /^(\d+)d,?\s*(.*)$/.exec(text);
  if (days) {
    const rest = parseClock(days[2]!);
    return rest === null ? null : Number(days[1]) * 86400 + rest;
  }
  if (!/^\d+(:\d{1,2}){1,2}$/.test(text)) return null;
  return text.split(':').reduce((sum, part) => sum * 60 + Number(part), 0);
}

/** Rate text to items per second: "3.50" + "it/s" -> 3.5; "2.83" + "s/it" -> 0.353. */
export function parseRate(value: string, unitText: string): { rate: number | null; unit: string } {
  const number = Number(value);
  const perSecond = /^([^/]+)\/s$/.exec(unitText);
  if (perSecond) return { rate: Number.isFinite(number) && number > 0 ? number : null, unit: perSecond[1]! };
  const secondsPer = /^s\/(.+)$/.exec(unitText);
  if (secondsPer) return { rate: Number.isFinite(number) && number > 0 ? 1 / number : null, unit: secondsPer[1]! };
  return { rate: null, unit: 'it' };
}

const TQDM = /(\d{1,3})%\|[^|]*\|\s*([\d.]+[kMGTP]?)\/([\d.]+[kMGTP]?)\s*\[([\dd:, ]+?)<([\d:?]+)(?:,\s*([\d.]+|\?)\s*([^\s,\]]+))?/;
const TQDM_NO_TOTAL = /(?:^|[:\s])([\d.]+[kMGTP]?)([a-zA-Z]+)\s+\[([\d:]+),\s*([\d.]+|\?)\s*([^\s,\]]+)/;
const KERAS_BAR = /^\s*(\d+)\/(\d+)\s+(?:\[[=>.]*\]|━+)/;
const EPOCH = /\bepoch\b\s*[:=]?\s*\[?\s*(\d+)\s*\/\s*(\d+)/i;
const STEP = /\b(global[_ ]step|step|iteration|iter|batch)s?\b\s*[:=]?\s*\[?\s*(\d+)\s*\/\s*(\d+)/i;
const LINE_RATE = /([\d.]+)\s*(it|steps?|batch(?:es)?|samples?)\/s\b|([\d.]+)\s*s\/(it|step|batch)\b/i;

/** One tqdm or Keras bar in a segment of log text, or null. */
export function parseBar(segment: string): Bar | null {
  const tqdm = TQDM.exec(segment);
  if (tqdm) {
    const rate = tqdm[6] !== undefined && tqdm[7] !== undefined ? parseRate(tqdm[6], tqdm[7]) : { rate: null, unit: 'it' };
    const desc = segment.slice(0, tqdm.index).replace(/[:\s]+$/, '').trim();
    return { n: parseScaled(tqdm[2]!) ?? 0, total: parseScaled(tqdm[3]!), rate: rate.rate, remaining: parseClock(tqdm[5]!), unit: rate.unit, desc, kind: 'tqdm', elapsed: parseClock(tqdm[4]!.trim()) };
  }
  const keras = KERAS_BAR.exec(segment);
  if (keras) {
    const perStep = /(\d+(?:\.\d+)?)(us|ms|s)\/step/.exec(segment);
    const seconds = perStep ? Number(perStep[1]) / (perStep[2] === 'ms' ? 1000 : perStep[2] === 'us' ? 1e6 : 1) : null;
    const eta = /ETA:\s*(\S+)/.exec(segment);
    return {
      n: Number(keras[1]),
      total: Number(keras[2]),
      rate: seconds && seconds > 0 ? 1 / seconds : null,
      remaining: eta ? parseKerasEta(eta[1]!) : null,
      unit: 'step',
      desc: '',
      kind: 'keras',
    };
  }
  const open = TQDM_NO_TOTAL.exec(segment);
  if (open && !/%\|/.test(segment)) {
    const rate = parseRate(open[4]!, open[5]!);
    const desc = segment.slice(0, open.index).replace(/[:\s]+$/, '').trim();
    return { n: parseScaled(open[1]!) ?? 0, total: null, rate: rate.rate, remaining: null, unit: open[2]!, desc, kind: 'tqdm' };
  }
  return null;
}

/** Keras ETA text: "12s", "1:02", "3:04:05". */
function parseKerasEta(text: string): number | null {
  const seconds = /^(\d+)s$/.exec(text);
  return seconds ? Number(seconds[1]) : parseClock(text);
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Progress from log text. Segments are split on '\r' and '\n' (tqdm redraws in place); the last "Epoch i/N" line,
 * the last bar of the largest total (so an interleaved evaluation bar does not hide the training bar), and the
 * last "step i/N" line are combined, epoch first.
 */
export function parseProgressText(text: string): ParsedProgress | null {
  const segments = text.split(/[\r\n]+/);
  let epoch: { e: number; n: number; at: number } | null = null;
  let bar: (Bar & { at: number }) | null = null;
  let step: { unit: string; i: number; n: number; rate: number | null; at: number } | null = null;
  const rates = new Map<number, number>();
  for (const [at, segment] of segments.entries()) {
    let b = parseBar(segment);
    if (b && b.rate === null && b.total !== null && rates.has(b.total)) b = { ...b, rate: rates.get(b.total)!, borrowedRate: true };
    else if (b && b.rate !== null && b.total !== null && !b.borrowedRate) rates.set(b.total, b.rate);
    // The last bar of the largest total wins: an evaluation bar printed in between does not hide the training bar.
    if (b && (!bar || (b.total ?? 0) >= (bar.total ?? 0))) bar = { ...b, at };
    // "Epoch 3/10" on its own line, or as a bar's description; never inside a bar's postfix.
    const e = EPOCH.exec(b ? b.desc : segment);
    if (e && Number(e[2]) > 0) epoch = { e: Number(e[1]), n: Number(e[2]), at };
    const s = STEP.exec(segment);
    if (s && Number(s[3]) > 0) {
      const r = LINE_RATE.exec(segment);
      const rate = r ? (r[1] ? Number(r[1]) : 1 / Number(r[3])) : null;
      step = { unit: s[1]!.toLowerCase().replace(' ', '_'), i: Number(s[2]), n: Number(s[3]), rate: rate && Number.isFinite(rate) && rate > 0 ? rate : null, at };
    }
  }
  return combine(epoch, bar, step);
}

function barEta(bar: Bar): { eta: number | null; formula: string } {
  if (bar.total !== null && bar.rate !== null) {
    return { eta: (bar.total - bar.n) / bar.rate, formula: `(${bar.total} - ${bar.n}) ${bar.unit} / ${round(bar.rate, 2)} ${bar.unit}/s from ${bar.borrowedRate ? 'the previous bar' : "the bar's rate"}` };
  }
  if (bar.remaining !== null) return { eta: bar.remaining, formula: `the bar's own remaining-time field` };
  return { eta: null, formula: 'the bar shows no rate yet' };
}

function combine(
  epoch: { e: number; n: number; at: number } | null,
  bar: (Bar & { at: number }) | null,
  step: { unit: string; i: number; n: number; rate: number | null; at: number } | null,
): ParsedProgress | null {
  if (epoch) {
    const { e, n } = epoch;
    if (bar && bar.at >= epoch.at && bar.total) {
      const fraction = Math.min(1, bar.n / bar.total);
      const percent = round((100 * (e - 1 + fraction)) / n);
      let eta: number | null = null;
      let formula = `the ${bar.kind} bar shows no rate yet`;
      if (bar.rate !== null) {
        eta = (bar.total - bar.n) / bar.rate + ((n - e) * bar.total) / bar.rate;
        formula = `rest of epoch (${bar.total} - ${bar.n}) / ${round(bar.rate, 2)} ${bar.unit}/s + ${n - e} more epoch(s) x ${bar.total} ${bar.unit} / ${round(bar.rate, 2)} ${bar.unit}/s; assumes every epoch has ${bar.total} ${bar.unit} at the ${bar.borrowedRate ? "previous epoch's" : 'current'} rate`;
      }
      return {
        current: e,
        total: n,
        unit: 'epoch',
        percent,
        kind: `'Epoch ${e}/${n}' line + ${bar.kind} bar (${bar.n}/${bar.total} ${bar.unit} of epoch ${e})`,
        etaSeconds: eta === null ? null : Math.round(eta),
        etaFormula: formula,
        rate: bar.rate === null ? null : { perSecond: bar.rate, unit: bar.unit },
        sinceFirstProgress: e === 1 ? (bar.elapsed ?? null) : null,
        epochPart: { n: bar.n, total: bar.total, unit: bar.unit },
      };
    }
    return { current: e, total: n, unit: 'epoch', percent: round((100 * e) / n), kind: `'Epoch ${e}/${n}' line`, etaSeconds: null, etaFormula: 'the log gives no rate for epochs', rate: null };
  }
  if (bar) {
    const lightning = /^Epoch (\d+)$/.exec(bar.desc);
    const { eta, formula } = barEta(bar);
    const percent = bar.total ? round((100 * bar.n) / bar.total) : null;
    const kind = lightning ? `${bar.kind} bar of Lightning 'Epoch ${lightning[1]}' (0-based; total epochs not shown)` : `${bar.kind} bar${bar.desc ? ` '${bar.desc}'` : ''}`;
    return {
      current: bar.n,
      total: bar.total,
      unit: bar.unit,
      percent,
      kind,
      etaSeconds: eta === null ? null : Math.round(eta),
      etaFormula: lightning ? `${formula} (this epoch only)` : formula,
      rate: bar.rate === null ? null : { perSecond: bar.rate, unit: bar.unit },
      // One bar for the whole run (HF Trainer): its elapsed time runs from the first step; Lightning's restarts each epoch.
      sinceFirstProgress: !lightning || lightning[1] === '0' ? (bar.elapsed ?? null) : null,
    };
  }
  if (step) {
    const eta = step.rate !== null ? (step.n - step.i) / step.rate : null;
    return {
      current: step.i,
      total: step.n,
      unit: step.unit,
      percent: round((100 * step.i) / step.n),
      kind: `'${step.unit} ${step.i}/${step.n}' line`,
      etaSeconds: eta === null ? null : Math.round(eta),
      etaFormula: eta === null ? 'the line gives no rate' : `(${step.n} - ${step.i}) / ${round(step.rate!, 2)} per second from the same line`,
      rate: step.rate === null ? null : { perSecond: step.rate, unit: step.unit },
    };
  }
  return null;
}

export interface TrainerState {
  globalStep: number | null;
  maxSteps: number | null;
  saveSteps: number | null;
  epoch: number | null;
  numTrainEpochs: number | null;
}

/** Hugging Face trainer_state.json (written at save time: it describes that checkpoint, not the live step). */
export function parseTrainerState(text: string): TrainerState | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!data || typeof data !== 'object') return null;
  const record = data as Record<string, unknown>;
  const num = (key: string) => (typeof record[key] === 'number' && Number.isFinite(record[key]) ? (record[key] as number) : null);
  return { globalStep: num('global_step'), maxSteps: num('max_steps'), saveSteps: num('save_steps'), epoch: num('epoch'), numTrainEpochs: num('num_train_epochs') };
}

/** Lightning's default checkpoint name "epoch=E-step=S.ckpt" (optionally "-vN"). */
export function parseLightningName(name: string): { epoch: number; step: number } | null {
  const match = /epoch=(\d+)-step=(\d+)(?:-v\d+)?\.ckpt$/.exec(name);
  return match ? { epoch: Number(match[1]), step: Number(match[2]) } : null;
}
