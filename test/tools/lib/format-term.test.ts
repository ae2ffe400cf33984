// Formatting shared by the tools: durations, word wrap and control characters.
import { describe, expect, it } from 'vitest';
import { formatDuration, formatSeconds } from '../../../shared/tools/lib/format.js';
import { escapeControl, stylist, visibleLength, wrap } from '../../../shared/tools/lib/term.js';

describe('durations', () => {
  it('formatDuration: minutes and hours; with tenths, short spans keep a decimal', () => {
    expect([0.4, 12, 249, 7500, 90_000].map((s) => formatDuration(s))).toEqual(['0s', '12s', '4m 09s', '2h 05m', '1d 01h']);
    expect([0.4, 9.96, -1, 12, 249].map((s) => formatDuration(s, { tenths: true }))).toEqual(['0.4s', '10.0s', '0.0s', '12s', '4m 09s']);
    expect(formatDuration(null, { tenths: true })).toBe('unknown');
  });

  it('formatSeconds: plain seconds to a tenth, no trailing ".0"', () => {
    expect([0.1, 0.25, 0.5, 1, 1.04, 5.1, 12.34, 120].map(formatSeconds)).toEqual(['0.1 s', '0.3 s', '0.5 s', '1 s', '1 s', '5.1 s', '12.3 s', '120 s']);
  });
});

describe('wrap', () => {
  const text = 'nvidia-smi cannot reach the NVIDIA driver: check that the driver is loaded (lsmod | grep nvidia)';

  it('breaks at spaces within the width, keeps leading spaces and indents the rest', () => {
    const lines = wrap(`  ${text}`, 30, '    ');
    expect(lines).toEqual(['  nvidia-smi cannot reach the', '    NVIDIA driver: check that', '    the driver is loaded', '    (lsmod | grep nvidia)']);
    expect(lines.every((line) => line.length <= 30)).toBe(true);
  });

  it('counts visible characters only: colour codes take no room', () => {
    const style = stylist(true);
    const lines = wrap(`  ${style('yellow', '⚠')}  ${text}`, 30, '      ');
    expect(lines.every((line) => visibleLength(line) <= 30)).toBe(true);
    expect(lines.map((line) => visibleLength(line))).toEqual(wrap(`  ⚠  ${text}`, 30, '      ').map((line) => line.length));
  });

  it('leaves a word longer than a line whole, unless told to cut it', () => {
    const path = `/data/${'x'.repeat(40)}/model.pt`;
    expect(wrap(`saved ${path} now`, 30, '  ')).toEqual(['saved', `  ${path}`, '  now']);
    const cut = wrap(`saved ${path} now`, 30, '  ', { breakWords: true });
    expect(cut.every((line) => line.length <= 30)).toBe(true);
    expect(cut[0]).toBe(`saved ${path.slice(0, 24)}`);
    expect(cut.map((line, i) => (i === 0 ? line : line.slice(2))).join('')).toBe(`saved ${path} now`);
  });

  it('when cutting, moves a word that fits on the next line there instead of splitting it', () => {
    expect(wrap('aaaaa bbbbbbbbbbbbbbbb', 20, '    ', { breakWords: true })).toEqual(['aaaaa', '    bbbbbbbbbbbbbbbb']);
  });
});

describe('control characters', () => {
  it('escapeControl makes newlines, tabs, escape sequences, DEL, C1 and bidi overrides visible; other text is kept', () => {
    expect(escapeControl('python train.py --name "a\nb"\t\r')).toBe('python train.py --name "a\\nb"\\t\\r');
    expect(escapeControl('\x1b[2J\x07\x00\x7f\x9b')).toBe('\\x1b[2J\\x07\\x00\\x7f\\x9b');
    expect(escapeControl('evil\u202etxt.py')).toBe('evil\\u202etxt.py');
    expect(escapeControl('Grüße 模型 C:\\path')).toBe('Grüße 模型 C:\\path');
  });
});
