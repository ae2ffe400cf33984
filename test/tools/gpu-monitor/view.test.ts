// Warnings, the text view, the terminal screen and the command-line checks.
import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../../shared/tools/gpu-monitor/main.js';
import type { Frame } from '../../../shared/tools/gpu-monitor/monitor.js';
import { fit, renderFrame, sparkline } from '../../../shared/tools/gpu-monitor/render.js';
import { Screen } from '../../../shared/tools/gpu-monitor/screen.js';
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
  });
});
