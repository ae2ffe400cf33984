// Terminal output rules shared by the tools: colour only on a terminal and never with NO_COLOR
// (https://no-color.org: any non-empty value disables colour).

export interface ColorStream {
  isTTY?: boolean;
}

export function colorEnabled(stream: ColorStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}

const codes = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36 } as const;
export type Style = keyof typeof codes;

export type Stylist = (style: Style, text: string) => string;

/** A styling function that adds ANSI codes only when colour is enabled. */
export function stylist(enabled: boolean): Stylist {
  return enabled ? (style, text) => `\x1b[${codes[style]}m${text}\x1b[0m` : (_style, text) => text;
}

/** A horizontal bar for a fraction in [0, 1]; null (unknown) renders as a bar of '?'. */
export function bar(fraction: number | null, width: number): string {
  if (fraction === null || !Number.isFinite(fraction)) return '?'.repeat(width);
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/** Visible width of a string, ignoring ANSI escape codes. */
export function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '').length;
}
