// The command-line edge dp, create-dp-project and the tools share: the error, its formatting, the parser, runMain.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DpError, UsageError, formatError, parseCommandLine, runMain } from '../../../shared/tools/lib/cli.js';

const OPTIONS = { gpus: { type: 'string' }, json: { type: 'boolean' } } as const;

describe('formatError', () => {
  it('prints `<program>: <message>` and the hint indented below it', () => {
    expect(formatError('dp', new DpError('CLAUDE.md is read-only', 'make it writable'))).toBe('dp: CLAUDE.md is read-only\n  make it writable');
    expect(formatError('gpu_monitor', new UsageError('no GPU'))).toBe('gpu_monitor: no GPU');
  });

  it('shows an escape sequence or carriage return from the input escaped, so an error line cannot repaint the terminal', () => {
    expect(formatError('gpu_monitor', new UsageError("cannot read a\x1b[2Jb.csv\r: no such file", 'try \x9b31m'))).toBe('gpu_monitor: cannot read a\\x1b[2Jb.csv\\r: no such file\n  try \\x9b31m');
    expect(formatError('dp', new Error('bad \x07 bell'))).toBe('dp: unexpected error: bad \\x07 bell');
  });

  it('calls anything else unexpected', () => {
    expect(formatError('dp', new Error('boom'))).toBe('dp: unexpected error: boom');
    expect(formatError('dp', 'text')).toBe('dp: unexpected error: text');
  });
});

describe('parseCommandLine', () => {
  it("turns node's errors into a one-line usage error with the caller's hint", () => {
    const error = (() => {
      try {
        parseCommandLine(['--bogus'], OPTIONS, 'see --help');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ message: "unknown option '--bogus'", hint: 'see --help', exitCode: 2 });
  });

  it('hands a negative number to the flag instead of calling it ambiguous; after -- nothing is touched', () => {
    expect(parseCommandLine(['--gpus', '-2', '--', '--gpus', '-1'], OPTIONS, '').values.gpus).toBe('-2');
    expect(parseCommandLine(['--gpus', '-2', '--', '--gpus', '-1'], OPTIONS, '').positionals).toEqual(['--gpus', '-1']);
  });

  it('refuses positionals when told to', () => {
    expect(() => parseCommandLine(['extra'], OPTIONS, '', false)).toThrow(UsageError);
  });
});

describe('runMain', () => {
  const written: string[] = [];
  const exitCode = process.exitCode;
  afterEach(() => {
    vi.restoreAllMocks();
    written.length = 0;
    process.exitCode = exitCode;
    delete process.env.DP_DEBUG;
  });
  const captureStderr = () => vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);

  it("returns and sets main's exit code, 0 when main returns nothing", async () => {
    expect(await runMain('tool', async () => 3, [])).toBe(3);
    expect(process.exitCode).toBe(3);
    expect(await runMain('tool', async () => undefined, [])).toBe(0);
  });

  it('prints a user error with its hint and exit code, never a stack', async () => {
    captureStderr();
    process.env.DP_DEBUG = '1';
    expect(await runMain('dp', async () => { throw new UsageError('bad', 'do this'); }, [])).toBe(2);
    expect(written.join('')).toBe('dp: bad\n  do this\n');
  });

  it('an unexpected error exits 1; its stack only with DP_DEBUG', async () => {
    captureStderr();
    expect(await runMain('dp', async () => { throw new Error('boom'); }, [])).toBe(1);
    expect(written.join('')).toBe('dp: unexpected error: boom\n');
    written.length = 0;
    process.env.DP_DEBUG = '1';
    await runMain('dp', async () => { throw new Error('boom'); }, []);
    expect(written.join('')).toMatch(/^dp: unexpected error: boom\nError: boom\n {4}at /);
  });
});
