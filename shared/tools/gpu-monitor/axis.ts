// Axis ticks a reader can add up: values on 1, 2, 2.5 or 5 x 10^k steps (the "nice numbers" of Heckbert, Graphics
// Gems I, 1990), times on whole seconds, minutes or hours since the start of the log.

/** The smallest step of the form {1, 2, 2.5, 5} x 10^k that splits `span` into at most `maxTicks` intervals. */
export function niceStep(span: number, maxTicks: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const rough = span / Math.max(1, maxTicks);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((candidate) => candidate >= rough - 1e-12 * power);
  return step ?? 10 * power;
}

/**
 * Round bounds and ticks covering [min, max], the step at least `minStep` (whole watts and degrees: a flat series
 * then spans one step, not fractions of a degree).
 */
export function niceScale(min: number, max: number, maxTicks = 4, minStep = 0): { min: number; max: number; ticks: number[] } {
  const low = Math.min(min, max);
  const high = max > low ? max : low + Math.max(minStep, 1e-9);
  const step = Math.max(niceStep(high - low, maxTicks), minStep);
  const start = Math.floor(low / step) * step;
  const end = Math.ceil(high / step) * step;
  const ticks: number[] = [];
  for (let tick = start; tick <= end + step / 2; tick += step) ticks.push(Number(tick.toFixed(10)));
  return { min: start, max: end, ticks };
}

/** Steps for elapsed time, in seconds: whole seconds, minutes, hours, days. */
const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

/** Elapsed-time ticks (ms since the start) for a span, at most maxTicks + 1 of them, starting at 0. */
export function timeTicks(spanMs: number, maxTicks = 5): number[] {
  const spanSeconds = Math.max(spanMs / 1000, 1);
  const step = TIME_STEPS.find((candidate) => spanSeconds / candidate <= maxTicks) ?? 86400 * Math.ceil(spanSeconds / 86400 / maxTicks);
  const ticks: number[] = [];
  for (let tick = 0; tick <= spanSeconds + 1e-9; tick += step) ticks.push(tick * 1000);
  return ticks;
}
