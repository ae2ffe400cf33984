// Human formatting of measured quantities. Unknown values (null) print as "unknown", never as 0.

export const UNKNOWN = 'unknown';

const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** Bytes with binary prefixes: 1536 -> "1.5 KiB". */
export function formatBytes(bytes: number | null, digits = 1): string {
  if (bytes === null || !Number.isFinite(bytes)) return UNKNOWN;
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BINARY_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(digits)} ${BINARY_UNITS[unit]}`;
}

/** A MiB count as nvidia-smi reports it, shown in GiB above 1 GiB. */
export function formatMiB(mib: number | null): string {
  if (mib === null || !Number.isFinite(mib)) return UNKNOWN;
  return mib >= 1024 ? `${(mib / 1024).toFixed(1)} GiB` : `${Math.round(mib)} MiB`;
}

/**
 * Seconds as "2h 05m", "4m 09s", "12s". `tenths`: below 10 s with one decimal ("0.4s"), so that short spans do not
 * read "0s".
 */
export function formatDuration(seconds: number | null, { tenths = false } = {}): string {
  if (seconds === null || !Number.isFinite(seconds)) return UNKNOWN;
  if (tenths && seconds < 10) return `${Math.max(0, seconds).toFixed(1)}s`;
  const s = Math.max(0, Math.round(seconds));
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const secs = s % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (days > 0) return `${days}d ${pad(hours)}h`;
  if (hours > 0) return `${hours}h ${pad(minutes)}m`;
  if (minutes > 0) return `${minutes}m ${pad(secs)}s`;
  return `${secs}s`;
}

/** A span in plain seconds, to a tenth where it has one: "0.2 s", "1.5 s", "30 s" (intervals, timeouts, back-offs). */
export function formatSeconds(seconds: number): string {
  return `${Number(seconds.toFixed(1))} s`;
}

export function formatPercent(value: number | null, digits = 0): string {
  if (value === null || !Number.isFinite(value)) return UNKNOWN;
  return `${value.toFixed(digits)}%`;
}
