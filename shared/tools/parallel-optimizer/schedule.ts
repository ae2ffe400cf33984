// A 1F1B pipeline schedule (Narayanan et al. 2021 §2.2, PipeDream-Flush), simulated slot by slot for the
// --explain diagram. Forward and backward are drawn one slot each, so the idle slots are exactly the bubble:
// 2(p-1) idle slots per stage against 2m busy ones, i.e. (p-1)/m of the ideal time.

export interface Op {
  kind: 'F' | 'B';
  microBatch: number;
}

/** The order in which stage `stage` (0-based) of `stages` runs its ops: warm-up forwards, 1F1B, cool-down. */
export function oneFOneBOrder(stage: number, stages: number, microBatches: number): Op[] {
  const warmup = Math.min(stages - stage - 1, microBatches);
  const ops: Op[] = [];
  for (let i = 0; i < warmup; i += 1) ops.push({ kind: 'F', microBatch: i });
  for (let i = 0; i < microBatches - warmup; i += 1) {
    ops.push({ kind: 'F', microBatch: warmup + i });
    ops.push({ kind: 'B', microBatch: i });
  }
  for (let i = microBatches - warmup; i < microBatches; i += 1) ops.push({ kind: 'B', microBatch: i });
  return ops;
}

/**
 * Simulate the schedule: an op starts when its stage is free and its input is ready (the forward of the
 * previous stage, or the backward of the next). Returns, per stage, the op in each time slot (null = idle).
 */
export function simulateOneFOneB(stages: number, microBatches: number): (Op | null)[][] {
  const orders = Array.from({ length: stages }, (_, s) => oneFOneBOrder(s, stages, microBatches));
  const finish = new Map<string, number>();
  const key = (kind: string, stage: number, mb: number) => `${kind}${stage}:${mb}`;
  const next = new Array<number>(stages).fill(0);
  const free = new Array<number>(stages).fill(0);
  const timeline: (Op | null)[][] = Array.from({ length: stages }, () => []);
  let remaining = orders.reduce((sum, o) => sum + o.length, 0);
  while (remaining > 0) {
    let progressed = false;
    for (let s = 0; s < stages; s += 1) {
      const op = orders[s]![next[s]!];
      if (!op) continue;
      const dep = op.kind === 'F' ? (s > 0 ? finish.get(key('F', s - 1, op.microBatch)) : 0) : s < stages - 1 ? finish.get(key('B', s + 1, op.microBatch)) : finish.get(key('F', s, op.microBatch));
      if (dep === undefined) continue;
      const start = Math.max(free[s]!, dep);
      for (let slot = timeline[s]!.length; slot < start; slot += 1) timeline[s]!.push(null);
      timeline[s]!.push(op);
      free[s] = start + 1;
      finish.set(key(op.kind, s, op.microBatch), start + 1);
      next[s] = next[s]! + 1;
      remaining -= 1;
      progressed = true;
    }
    if (!progressed) throw new Error('1F1B schedule deadlocked');
  }
  const length = Math.max(...timeline.map((row) => row.length));
  for (const row of timeline) while (row.length < length) row.push(null);
  return timeline;
}

/** Rows like "stage 0 | F1 F2 F3 F4 B1 F5 B2 ..  .." (micro-batches numbered from 1, ".." idle). */
export function renderSchedule(stages: number, microBatches: number): string[] {
  const timeline = simulateOneFOneB(stages, microBatches);
  const cell = (op: Op | null) => (op ? `${op.kind}${op.microBatch + 1}`.padEnd(3) : '.. ');
  return timeline.map((row, s) => `stage ${String(s).padEnd(2)}| ${row.map(cell).join('').trimEnd()}`);
}
