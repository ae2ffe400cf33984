// Warnings, the text view, the terminal screen and the command-line checks.
import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../../shared/tools/gpu-monitor/main.js';
import type { Frame } from '../../../shared/tools/gpu-monitor/monitor.js';
import { fit, renderFrame, renderView, sparkline } from '../../../shared/tools/gpu-monitor/render.js';
import { Screen, scrollKeys } from '../../../shared/tools/gpu-monitor/screen.js';
import type { GpuProcess } from '../../../shared/tools/gpu-monitor/snapshot.js';
import { WarningTracker, instantWarnings } from '../../../shared/tools/gpu-monitor/warnings.js';
import { UsageError } from '../../../shared/tools/lib/cli.js';
import { emptyReading, parseGpuCsv, type GpuReading } from '../../../shared/tools/lib/gpu-query.js';
import { stylist } from '../../../shared/tools/lib/term.js';
import { ownFixture, projectRows } from './helpers.js';

const training = () => parseGpuCsv(projectRows(ownFixture('query-gpu_h100-x8_train.csv'))).gpus;
const holder = (gpuIndex: number, pid = 42): GpuProcess => ({ pid, gpuIndex, gpuUuid: 'GPU-x', usedMemoryMiB: 58060, name: 'python3', command: 'python3 train.py', user: 'alice' });

describe('warnings', () => {
  it('calls a GPU starved only after utilisation stayed low for the whole period while a process held it', () => {
    const tracker = new WarningTracker();
    const idle = { ...emptyReading(7), utilizationGpuPercent: 3 };
    expect(tracker.update(0, [idle], [holder(7)])).toEqual([]);
    expect(tracker.update(29_000, [idle], [holder(7)])).toEqual([]);
    const [warning] = tracker.update(31_000, [idle], [holder(7)]);
    expect(warning?.message).toBe('GPU 7 starved: utilisation below 10% for 31s while pid 42 (python3) holds 56.7 GiB: check the input pipeline (data loading, preprocessing, I/O)');
    // One busy sample resets the period; unknown utilisation (MIG) never counts as low.
    expect(tracker.update(32_000, [{ ...idle, utilizationGpuPercent: 80 }], [holder(7)])).toEqual([]);
    expect(tracker.update(70_000, [idle], [holder(7)])).toEqual([]);
    expect(tracker.update(200_000, [{ ...idle, utilizationGpuPercent: null }], [holder(7)])).toEqual([]);
    // No process on the GPU: idle, not starved.
    const fresh = new WarningTracker();
    fresh.update(0, [idle], []);
    expect(fresh.update(60_000, [idle], [])).toEqual([]);
  });

  it('flags memory almost full, thermal slowdown, power cap and hardware slowdown from one sample', () => {
    const kinds = training().flatMap((gpu) => instantWarnings(gpu).map((w) => `${w.gpuIndex}:${w.kind}`));
    expect(kinds).toEqual(['0:power', '3:power', '4:memory', '5:thermal']);
    const brake: GpuReading = { ...emptyReading(1), slowdown: { swPowerCap: null, hwSlowdown: true, swThermal: null, hwThermal: false } };
    expect(instantWarnings(brake).map((w) => w.kind)).toEqual(['slowdown']);
    const margin: GpuReading = { ...emptyReading(2), thermalMarginC: 4, temperatureC: 87 };
    expect(instantWarnings(margin)[0]?.message).toBe('GPU 2 is 4 °C from its slowdown temperature at 87 °C (nvidia-smi T.Limit): check cooling');
  });

  it('warns of uncorrected ECC errors and of a failed row remapping', () => {
    const base = training()[6]!;
    expect(instantWarnings(base)).toEqual([]);
    const uncorrected: GpuReading = { ...base, ecc: { ...base.ecc, uncorrectedVolatile: 2 } };
    expect(instantWarnings(uncorrected).map((w) => w.message)).toEqual([
      'GPU 6 has 2 uncorrected ECC errors since the driver loaded: results on it may be wrong; reset the GPU (nvidia-smi -r) or drain the node',
    ]);
    const failed: GpuReading = { ...base, ecc: { ...base.ecc, uncorrectedVolatile: 2, remapFailure: true } };
    expect(instantWarnings(failed).map((w) => w.kind)).toEqual(['ecc']);
    expect(instantWarnings(failed)[0]!.message).toContain('row remapping failed');
  });

  it('never warns from unknown values', () => {
    expect(instantWarnings(emptyReading(0))).toEqual([]);
  });
});

function frameOf(gpus: GpuReading[], extra: Partial<Frame> = {}): Frame {
  return {
    at: new Date(2026, 0, 2, 3, 4, 5),
    source: 'nvidia-smi',
    gpus,
    fresh: true,
    stale: false,
    sampleAgeMs: 0,
    processes: [],
    processNote: null,
    hostProcesses: [],
    history: new Map(gpus.map((gpu) => [gpu.index, [0, 50, 100, null]])),
    problem: null,
    warnings: [],
    samples: 4,
    ...extra,
  };
}

const plain = { width: 120, style: stylist(false), intervalMs: 1000, top: 8 };

describe('the text view', () => {
  it('shows bars, temperature, power, a sparkline and processes, without escape codes when plain', () => {
    const gpus = training().slice(0, 1);
    const text = renderFrame(frameOf(gpus, { processes: [holder(0)] }), plain);
    expect(text).not.toContain('\x1b');
    expect(text).toContain('gpu_monitor · nvidia-smi · 1 GPU · every 1 s · 03:04:05');
    expect(text).toMatch(/GPU 0 {2}NVIDIA H100 80GB HBM3 {3}68 °C {3}688 \/ 700 W/);
    expect(text).toMatch(/util █+░* +100% {3}mem █+░+ 69\.6 GiB \/ 79\.6 GiB \(87%\)/);
    expect(text).toContain('util history ▁▅█   last 4 s');
    expect(text).toContain('  P0 · clocks SM 1980/1980, memory 2619/2619 MHz · clocks held down: sw_power_cap · ECC errors since driver load: 0 uncorrected, 0 corrected');
    expect(text).toMatch(/pid +42 +alice +56\.7 GiB +python3 train\.py/);
  });

  it('says unknown rather than 0, and explains MIG and WDDM', () => {
    const mig: GpuReading = { ...emptyReading(0), name: 'NVIDIA H100 80GB HBM3', migEnabled: true, memoryUsedMiB: 11125, memoryTotalMiB: 81559 };
    const wddm: GpuReading = { ...emptyReading(1), driverModel: 'WDDM' };
    const text = renderFrame(frameOf([mig, wddm], { processes: [{ ...holder(1), usedMemoryMiB: null }] }), { ...plain, once: true });
    expect(text).toMatch(/util \?+ +unknown/);
    expect(text).toContain('MIG mode: nvidia-smi reports no whole-GPU utilisation ([N/A]); per-instance activity needs DCGM');
    expect(text).toContain('WDDM driver model: per-process GPU memory is not reported ([N/A])');
    expect(text).toMatch(/pid +42 +alice +unknown +python3 train\.py/);
    expect(text).not.toContain('util history');
  });

  it('shows the problem, hides stale GPU numbers, and lists host ML processes', () => {
    const text = renderFrame(
      frameOf(training().slice(0, 1), {
        stale: true,
        sampleAgeMs: 12_340,
        problem: 'nvidia-smi stopped answering: no sample for 5 s',
        hostProcesses: [{ pid: 9, user: 'bob', cpuPercent: 97.5, cpuBasis: 'lifetime', rssBytes: 3 * 2 ** 30, command: 'python train.py', gpuIndices: [0] }],
      }),
      plain,
    );
    expect(text).toContain('! nvidia-smi stopped answering: no sample for 5 s');
    expect(text).toContain('GPU data unavailable: last sample 12.3 s ago');
    expect(text).not.toContain('688 / 700 W');
    expect(text).toMatch(/ +9 +bob +97\.5\* +3\.0 GiB +0 +python train\.py/);
    expect(text).toContain('* average since the process started');
  });

  it('lists warnings and fits lines to the width', () => {
    const warnings = [{ gpuIndex: 4, kind: 'memory' as const, message: 'GPU 4 memory 97% full' }];
    expect(renderFrame(frameOf([], { warnings }), plain)).toContain('Warnings\n  ! GPU 4 memory 97% full');
    expect(fit('abcdefghij', 5)).toBe('abcd…');
    const long = 'nvidia-smi cannot reach the NVIDIA driver (NVIDIA-SMI has failed): check that the driver is loaded (lsmod | grep nvidia)';
    const onTerminal = renderFrame(frameOf([], { problem: long }), { ...plain, width: 50, truncate: true }).split('\n');
    expect(onTerminal.every((line) => line.length <= 50)).toBe(true);
    expect(onTerminal.filter((line) => line.startsWith('! ') || line.startsWith('    ')).join(' ').replace(/\s+/g, ' ')).toBe(`! ${long}`);
    expect(renderFrame(frameOf([], { problem: long }), { ...plain, width: 50 })).toContain(`! ${long}`);
    expect(sparkline([0, 25, 50, 75, 100, null, 150])).toBe('▁▃▅▆█ █');
  });
});

describe('8 GPUs on 80x24: compact layout and a scrolling process list', () => {
  const hosts = Array.from({ length: 20 }, (_, i) => ({
    pid: 1000 + i,
    user: 'alice',
    cpuPercent: 100 - i,
    cpuBasis: 'interval' as const,
    rssBytes: 2 ** 30,
    command: `python train.py --rank ${i}`,
    gpuIndices: [i % 8],
  }));
  const warnings = [0, 3, 4, 5, 6].map((gpuIndex) => ({ gpuIndex, kind: 'power' as const, message: `GPU ${gpuIndex} at its power limit` }));
  const terminal = { ...plain, width: 80, height: 24, truncate: true, keyHint: true, top: 50 };
  const view = (scroll: number) => renderView(frameOf(training(), { hostProcesses: hosts, warnings, processes: [holder(0), holder(0, 43), holder(2, 44)] }), { ...terminal, scroll });

  it('switches to one line per GPU when the full layout does not fit, and every line fits the screen', () => {
    const { text, compact } = view(0);
    const lines = text.split('\n');
    expect(compact).toBe(true);
    expect(lines.length).toBeLessThanOrEqual(24);
    expect(lines.every((line) => line.length <= 80)).toBe(true);
    for (let gpu = 0; gpu < 8; gpu += 1) expect(text).toMatch(new RegExp(`^ {2}${gpu} H100 80GB HBM3 `, 'm'));
    expect(text).toMatch(/^ {2}0 H100 80GB HBM3 +█+ 100% +69\.6\/79\.6 87% +68°C +688\/700 +P0 +2$/m);
    expect(text).toMatch(/^ {2}7 H100 80GB HBM3 +░+ +0% +56\.7\/79\.6 71% +38°C +119\/700 +P0 +0$/m);
    // Five warnings get three lines: two shown, the rest counted.
    expect(text).toContain('! GPU 3 at its power limit');
    expect(text).toContain('! ... 3 more warnings');
    expect(text).not.toContain('GPU 4 at its power limit');
  });

  it('shows the processes that fit, says which, and scrolls (clamped at the end)', () => {
    const first = view(0);
    const rows = first.text.split('\n').filter((line) => / python train\.py --rank \d+$/.test(line));
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(first.text).toContain(`1-${rows.length} of 20, ↑/↓ scroll`);
    const next = view(2);
    expect(next.text).toMatch(/ python train\.py --rank 2$/m);
    expect(next.text).not.toMatch(/ python train\.py --rank 1$/m);
    const end = view(1000);
    expect(end.scroll).toBe(20 - rows.length);
    expect(end.text).toMatch(/ python train\.py --rank 19$/m);
    expect(end.text).toContain(`${21 - rows.length}-20 of 20`);
  });

  it('keeps the full layout when it fits; --compact asks for one line per GPU anyway', () => {
    const tall = renderView(frameOf(training().slice(0, 2)), { ...terminal, height: 60 });
    expect(tall.compact).toBe(false);
    expect(tall.text).toContain('util history');
    const forced = renderView(frameOf(training().slice(0, 2)), { ...plain, compact: true });
    expect(forced.compact).toBe(true);
    expect(forced.text).toMatch(/^ {2}1 H100 80GB HBM3 /m);
  });

  it('reads arrows, page keys and vi keys from what the terminal sends', () => {
    expect(scrollKeys('\x1b[B\x1b[Bj')).toEqual(['down', 'down', 'down']);
    expect(scrollKeys('\x1b[A\x1b[5~\x1b[6~ bgG\x1b[H\x1b[F')).toEqual(['up', 'pageUp', 'pageDown', 'pageDown', 'pageUp', 'home', 'end', 'home', 'end']);
    expect(scrollKeys('x')).toEqual([]);
  });

  it('prints names and messages from outside with control characters escaped', () => {
    const hostile = { ...training()[0]!, name: 'GPU\x1b[31m' };
    const text = renderFrame(
      frameOf([hostile], { problem: 'bad\nline', warnings: [{ gpuIndex: 0, kind: 'power', message: 'x\ry' }], hostProcesses: [{ ...hosts[0]!, command: 'python a\nb', user: 'u\tv' }] }),
      plain,
    );
    expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f]/);
    for (const shown of ['GPU\\x1b[31m', '! bad\\nline', 'x\\ry', 'python a\\nb', 'u\\tv']) expect(text).toContain(shown);
  });
});

describe('the screen', () => {
  it('appends plain frames when not on a terminal, and restores the terminal after drawing in place', () => {
    const writes: string[] = [];
    const plainScreen = new Screen({ write: (t) => writes.push(t) }, false);
    plainScreen.draw('frame');
    plainScreen.close();
    expect(writes).toEqual(['frame\n\n']);
    const tty: string[] = [];
    const ansi = new Screen({ write: (t) => tty.push(t), isTTY: true, columns: 100 }, true);
    ansi.draw('a\nb');
    ansi.close();
    ansi.close();
    expect(tty).toEqual(['\x1b[?1049h\x1b[?25l', '\x1b[Ha\x1b[K\nb\x1b[K\x1b[J', '\x1b[?25h\x1b[?1049l']);
  });
});

describe('command line', () => {
  const usage = (argv: string[]) => {
    try {
      parseSettings(argv);
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      return (error as UsageError).message;
    }
    throw new Error(`accepted ${argv.join(' ')}`);
  };

  it('picks the mode and defaults', () => {
    expect(parseSettings([])).toMatchObject({ mode: 'live', intervalMs: 1000, processIntervalMs: 5000, timeoutMs: 5000, top: 8, host: '127.0.0.1' });
    expect(parseSettings(['--once', '--json'])).toMatchObject({ mode: 'once', json: true });
    expect(parseSettings(['--watch', '--json', '--interval', '0.2', '--count', '3'])).toMatchObject({ mode: 'watch-json', intervalMs: 200, count: 3 });
    expect(parseSettings(['--prometheus', '0', '--log', 'x.csv'])).toMatchObject({ mode: 'prometheus', port: 0, log: 'x.csv' });
    expect(parseSettings(['--plot', 'run.csv', '-o', 'run.svg'])).toMatchObject({ mode: 'plot', plot: 'run.csv', output: 'run.svg' });
    expect(parseSettings(['-h'])).toBe('help');
  });

  it('refuses contradictory or malformed options with one line', () => {
    expect(usage(['--json'])).toBe('--json needs --once (one object) or --watch (one object per line)');
    expect(usage(['--once', '--watch'])).toBe('--once cannot be combined with --watch');
    expect(usage(['--plot', 'a.csv', '--once'])).toBe('--plot cannot be combined with --once');
    expect(usage(['-o', 'x.svg'])).toMatch(/needs --plot/);
    expect(usage(['--host', '0.0.0.0'])).toMatch(/needs --prometheus PORT/);
    expect(usage(['--interval', '0'])).toBe("--interval must be a number between 0.1 and 3600, got '0'");
    expect(usage(['--prometheus', '70000'])).toMatch(/--prometheus must be an integer between 0 and 65535/);
    expect(usage(['--bogus'])).toMatch(/unknown option '--bogus'/);
    expect(usage(['extra'])).toBe("unexpected argument 'extra'");
    expect(usage(['--compact', '--once', '--json'])).toBe('--compact cannot be combined with --json');
    expect(usage(['--cluster-config', 'grafana', '--port', '0'])).toBe("--port must be an integer between 1 and 65535, got '0'");
    expect(usage(['--port', '9400'])).toBe('--port belongs to --cluster-config');
    expect(usage(['--cluster-config', 'grafana', '--gpus', '0'])).toBe('--cluster-config cannot be combined with --gpus');
    expect(parseSettings(['--gpus', '0,3', '--compact'])).toMatchObject({ mode: 'live', gpus: [0, 3], compact: true });
    expect(parseSettings(['--cluster-config', 'all'])).toMatchObject({ mode: 'cluster-config', cluster: { kind: 'all', outDir: '.', port: 9400, nodes: null } });
  });
});
