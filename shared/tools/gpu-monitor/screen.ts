// Where the live view is drawn.
// On a terminal (and NO_COLOR unset): the alternate screen, cursor hidden, each frame redrawn in place; on
// exit (q, Ctrl-C, SIGTERM, count reached) the cursor and the previous screen are restored.
// Otherwise (a pipe, a file, NO_COLOR): plain text, no escape codes, one frame after another.

export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

const ENTER = '\x1b[?1049h\x1b[?25l';
const LEAVE = '\x1b[?25h\x1b[?1049l';
const HOME = '\x1b[H';
const CLEAR_LINE = '\x1b[K';
const CLEAR_BELOW = '\x1b[J';

export class Screen {
  private entered = false;
  private closed = false;

  /** ansi: redraw in place with escape codes; false: append plain frames. */
  constructor(
    private readonly out: Output,
    readonly ansi: boolean,
  ) {}

  /** Columns to lay a frame out in: the terminal's width, or 120 when writing to a pipe or file. */
  get width(): number {
    return this.ansi && this.out.columns ? Math.max(40, this.out.columns) : 120;
  }

  /** Rows a frame may use when redrawn in place; undefined when frames are appended (no limit). */
  get height(): number | undefined {
    return this.ansi && this.out.rows ? Math.max(10, this.out.rows) : undefined;
  }

  draw(text: string): void {
    if (this.closed) return;
    if (!this.ansi) {
      this.out.write(`${text}\n\n`);
      return;
    }
    if (!this.entered) {
      this.out.write(ENTER);
      this.entered = true;
    }
    this.out.write(`${HOME}${text.split('\n').join(`${CLEAR_LINE}\n`)}${CLEAR_LINE}${CLEAR_BELOW}`);
  }

  /** Restore the terminal. Safe to call more than once. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.entered) this.out.write(LEAVE);
  }
}

export interface KeyInput {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  on(event: 'data', listener: (data: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** How far a key moves the process list: a row (arrows, j/k), a page (PgUp/PgDn, space, b), or to an end (Home/End, g/G). */
export type ScrollKey = 'up' | 'down' | 'pageUp' | 'pageDown' | 'home' | 'end';

const SCROLL_KEYS: [string, ScrollKey][] = [
  ['\x1b[A', 'up'],
  ['\x1b[B', 'down'],
  ['\x1b[5~', 'pageUp'],
  ['\x1b[6~', 'pageDown'],
  ['\x1b[H', 'home'],
  ['\x1b[F', 'end'],
  ['\x1b[1~', 'home'],
  ['\x1b[4~', 'end'],
  ['k', 'up'],
  ['j', 'down'],
  ['b', 'pageUp'],
  [' ', 'pageDown'],
  ['g', 'home'],
  ['G', 'end'],
];

/** The scroll keys in what a terminal sent (one read may hold several). */
export function scrollKeys(text: string): ScrollKey[] {
  const keys: ScrollKey[] = [];
  for (let i = 0; i < text.length; ) {
    const match = SCROLL_KEYS.find(([sequence]) => text.startsWith(sequence, i));
    if (match) {
      keys.push(match[1]);
      i += match[0].length;
    } else i += 1;
  }
  return keys;
}

/**
 * Quit on q, Q or Ctrl-C typed at a terminal (raw mode, so Ctrl-C arrives as a byte), and on SIGINT/SIGTERM; other
 * keys that scroll go to onScroll. Returns a function that undoes all of it.
 */
export function onQuit(quit: () => void, input: KeyInput | null, onScroll?: (key: ScrollKey) => void): () => void {
  const onSignal = () => quit();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let raw = false;
  if (input?.isTTY && input.setRawMode) {
    input.setRawMode(true);
    raw = true;
    input.on('data', (data) => {
      const text = data.toString();
      if (text.includes('q') || text.includes('Q') || text.includes('\x03')) quit();
      else for (const key of scrollKeys(text)) onScroll?.(key);
    });
    input.resume();
  }
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (raw && input?.setRawMode) {
      input.setRawMode(false);
      input.pause();
    }
  };
}
