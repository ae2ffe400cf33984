// Parsers on the recorded real outputs (../shared/fixtures/nvidia-smi) and on the project's own fixtures.
import { describe, expect, it } from 'vitest';
import {
  COMPUTE_PROCESS_FIELDS,
  GPU_QUERY_FIELDS,
  REQUIRED_GPU_FIELDS,
  gpuQueryArgs,
  parseComputeProcesses,
  parseGpuCsv,
  parseGpuRow,
  parseQueryHelpFields,
  readCsvTable,
  rejectedField,
} from '../../../shared/tools/lib/gpu-query.js';
import { parseRocmSmiJson } from '../../../shared/tools/lib/rocm-smi.js';
import { hasShared, readSmiFixture } from '../../support/shared-fixtures.js';
import { headerFor, ownFixture, projectApps, projectRows } from './helpers.js';

const parseCapture = (name: string) => parseGpuCsv(projectRows(readSmiFixture(name)));

describe.runIf(hasShared)('--query-gpu on recorded outputs', () => {
  it('reads an H100 under load by position, units in cells tolerated', () => {
    const { gpus, unexpected } = parseCapture('query-gpu-all__h100_590.48.01_load.csv.txt');
    expect(unexpected).toEqual([]);
    expect(gpus).toHaveLength(1);
    expect(gpus[0]).toMatchObject({
      index: 0,
      uuid: 'GPU-00000000-0000-0000-0000-000000000000',
      name: 'NVIDIA H100 80GB HBM3',
      busId: '00000000:00:09.0',
      utilizationGpuPercent: 100,
      utilizationMemoryPercent: 11,
      memoryUsedMiB: 19818,
      memoryTotalMiB: 81559,
      temperatureC: 59,
      thermalMarginC: 26,
      powerDrawW: 631.95,
      powerLimitW: 700,
      migEnabled: false,
      driverModel: null,
      slowdown: { swPowerCap: false, hwSlowdown: false, swThermal: false, hwThermal: false },
    });
  });

  it('keeps a measured 0 as 0 on an idle H100', () => {
    const [gpu] = parseCapture('query-gpu-all__h100_590.48.01_idle.csv.txt').gpus;
    expect(gpu).toMatchObject({ utilizationGpuPercent: 0, memoryUsedMiB: 0, powerDrawW: 69.85 });
  });

  it('reads MIG utilisation as unknown, not 0', () => {
    const [gpu] = parseCapture('query-gpu-all__h100-mig_590.48.01_load.csv.txt').gpus;
    expect(gpu).toMatchObject({ migEnabled: true, utilizationGpuPercent: null, utilizationMemoryPercent: null, memoryUsedMiB: 11125 });
  });

  it('reads H200, L40S, RTX 4080 SUPER and RTX 2080 SUPER (driver 610)', () => {
    expect(parseCapture('query-gpu-all__h200_590.48.01_load.csv.txt').gpus[0]).toMatchObject({ name: 'NVIDIA H200', memoryTotalMiB: 143771, powerDrawW: 627.4 });
    expect(parseCapture('query-gpu-all__l40s_595.80_load.csv.txt').gpus[0]).toMatchObject({ name: 'NVIDIA L40S', utilizationGpuPercent: 9, powerLimitW: 350, migEnabled: null });
    expect(parseCapture('query-gpu-all__rtx4080super_595.71.05_load.csv.txt').gpus[0]).toMatchObject({ memoryTotalMiB: 16376, thermalMarginC: null });
    expect(parseCapture('query-gpu-all__rtx2080super_610.57.04_load.csv.txt').gpus[0]).toMatchObject({
      memoryUsedMiB: 815,
      memoryTemperatureC: null,
      smClockMHz: 2070,
      memoryClockMHz: 7500,
    });
  });

  it('recognises the Windows WDDM driver model', () => {
    const [gpu] = parseCapture('query-gpu-all__rtx2080super-windows_591.86_load.csv.txt').gpus;
    expect(gpu).toMatchObject({ driverModel: 'WDDM', name: 'NVIDIA GeForce RTX 2080 SUPER', powerDrawW: 97.43 });
  });

  it('reads 8 H200s with only five fields recorded: the rest unknown', () => {
    const { gpus } = parseCapture('query-gpu__h200-x8_busy.csv.txt');
    expect(gpus.map((gpu) => gpu.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(gpus[7]).toMatchObject({ uuid: 'GPU-28780eb0-24d5-1f13-59b8-ae5c23617a72', utilizationGpuPercent: 0, memoryUsedMiB: 58071, temperatureC: null });
  });

  it('reads 4 A100s and a nounits capture whose header keeps unit tags', () => {
    const a100 = parseCapture('query-gpu__a100-sxm4-80gb-x4_580.105.08.csv.txt').gpus;
    expect(a100.map((gpu) => [gpu.index, gpu.name, gpu.memoryTotalMiB])).toEqual([0, 1, 2, 3].map((i) => [i, 'NVIDIA A100-SXM4-80GB', 81920]));
    const p100 = readCsvTable(readSmiFixture('query-gpu__tesla-p100-pcie_nounits-header.csv.txt'));
    expect(p100[0]).toMatchObject({ 'memory.used': '0', 'utilization.gpu': '0', 'fan.speed': '[N/A]' });
  });

  it('reads the rows of a -lms stream, whose header was printed once', () => {
    const text = readSmiFixture('stream__lms-query-gpu-csv_24gb-gpu.csv.txt');
    const rows = readCsvTable(text);
    expect(text.split('\n').filter((line) => line.startsWith('timestamp')).length).toBe(1);
    expect(rows.map((row) => row['temperature.gpu'])).toEqual(['25', '24', '23', '26', '25']);
  });

  it('lists the query fields of driver 590 and 610, our fields among them', () => {
    for (const name of ['help__query-gpu-fields_590.48.01.txt', 'help__query-gpu-fields_610.57.04.txt']) {
      const known = parseQueryHelpFields(readSmiFixture(name));
      for (const field of GPU_QUERY_FIELDS) expect(known, `${name} lacks ${field}`).toContain(field);
    }
  });
});

describe.runIf(hasShared)('--query-compute-apps on recorded outputs', () => {
  const apps = (name: string) => parseComputeProcesses(projectApps(readSmiFixture(name)));

  it('reads processes with relative paths, and none when idle', () => {
    expect(apps('compute-apps__h100_590.48.01_load.csv.txt')).toEqual([
      { gpuUuid: 'GPU-00000000-0000-0000-0000-000000000000', pid: 11327, processName: '/root/tools/memhog', usedMemoryMiB: 2566 },
      { gpuUuid: 'GPU-00000000-0000-0000-0000-000000000000', pid: 11328, processName: '/root/tools/memhog', usedMemoryMiB: 1542 },
      { gpuUuid: 'GPU-00000000-0000-0000-0000-000000000000', pid: 11345, processName: './gpu_burn', usedMemoryMiB: 15690 },
    ]);
    expect(apps('compute-apps__h100_590.48.01_idle.csv.txt')).toEqual([]);
  });

  it('keeps the parent GPU uuid under MIG, and WDDM memory unknown', () => {
    expect(apps('compute-apps__h100-mig_590.48.01_load.csv.txt').every((app) => app.gpuUuid?.startsWith('GPU-'))).toBe(true);
    const windows = apps('compute-apps__rtx2080super-windows_591.86_load.csv.txt');
    expect(windows).toHaveLength(12);
    expect(windows.every((app) => app.usedMemoryMiB === null)).toBe(true);
    expect(windows.map((app) => app.processName)).toContain('C:\\Program Files\\NZXT CAM\\NZXT CAM.exe');
  });

  it('reads [Not Found] names as unknown on the 8x H200 box; L40S and RTX 4080 rows', () => {
    const h200 = apps('compute-apps__h200-x8_not-found.csv.txt');
    expect(h200).toHaveLength(8);
    expect(h200[7]).toEqual({ gpuUuid: 'GPU-28780eb0-24d5-1f13-59b8-ae5c23617a72', pid: 1758887, processName: null, usedMemoryMiB: 58060 });
    expect(apps('compute-apps__l40s_595.80_load.csv.txt').map((app) => app.usedMemoryMiB)).toEqual([538, 681]);
    expect(apps('compute-apps__rtx4080super_595.71.05_load.csv.txt').map((app) => app.processName)).toEqual(['/usr/bin/kwin_wayland', 'ffmpeg', 'ffmpeg']);
  });
});

describe.runIf(hasShared)('rocm-smi --json on recorded outputs', () => {
  it('reads 4 MI100s (ROCm 6.0.2)', () => {
    const gpus = parseRocmSmiJson(readSmiFixture('rocm-smi__json_mi100_rocm602.json.txt'));
    expect(gpus).toHaveLength(4);
    expect(gpus[0]).toMatchObject({
      index: 0,
      name: 'Arcturus GL-XL [Instinct MI100]',
      uuid: '0x79ccd55167a2124a',
      busId: '0000:83:00.0',
      utilizationGpuPercent: 0,
      memoryTotalMiB: Math.round(34342961152 / 2 ** 20),
      memoryUsedMiB: Math.round(6750208 / 2 ** 20),
      temperatureC: 53,
      powerDrawW: 36,
      powerLimitW: 290,
    });
  });

  it('reads key spellings of ROCm 4.3, 6.1.2 and a Vega 20 card', () => {
    const old = parseRocmSmiJson(readSmiFixture('rocm-smi__json_rx6700xt_rocm430.json.txt'))[0];
    expect(old).toMatchObject({ name: '67XA6S', uuid: null, utilizationMemoryPercent: 0, memoryUsedMiB: Math.round(1622728704 / 2 ** 20) });
    const recent = parseRocmSmiJson(readSmiFixture('rocm-smi__json_rx6700xt_rocm612.json.txt'))[0];
    expect(recent).toMatchObject({ name: 'Navi 22 [Radeon RX 6700/6700 XT / 6800M]', utilizationMemoryPercent: 0, powerLimitW: 211 });
    const vega = parseRocmSmiJson(readSmiFixture('rocm-smi__json_vega-20-WKS-GL-XE.json.txt'));
    expect(vega[0]).toMatchObject({ name: 'Radeon Instinct MI50 32GB', temperatureC: 36 });
  });
});

describe('--query-gpu on the project fixtures', () => {
  it('reads 8 GPUs in training with slowdown flags', () => {
    const { gpus } = parseGpuCsv(projectRows(ownFixture('query-gpu_h100-x8_train.csv')));
    expect(gpus).toHaveLength(8);
    expect(gpus[0]!.slowdown.swPowerCap).toBe(true);
    expect(gpus[5]).toMatchObject({ thermalMarginC: 3, slowdown: { hwThermal: true, swThermal: false } });
    expect(gpus[7]).toMatchObject({ utilizationGpuPercent: 0, memoryUsedMiB: 58071 });
  });

  it('reads every "no value" spelling as null, never 0', () => {
    const { gpus } = parseGpuCsv(projectRows(ownFixture('query-gpu_na-fields.csv')));
    expect(gpus[0]).toMatchObject({ utilizationGpuPercent: null, memoryUsedMiB: 0, powerDrawW: null, powerLimitW: null, thermalMarginC: null, slowdown: { swPowerCap: null } });
    expect(gpus[1]).toMatchObject({
      utilizationGpuPercent: null,
      utilizationMemoryPercent: null,
      memoryUsedMiB: null,
      memoryFreeMiB: null,
      temperatureC: null,
      memoryTemperatureC: null,
      powerDrawW: 28.16,
      slowdown: { swPowerCap: false },
    });
  });

  it('skips header lines anywhere and blank lines, and reports lines that are not rows', () => {
    const rows = projectRows(ownFixture('query-gpu_h100-x8_train.csv')).split('\n');
    const text = [headerFor(), rows[0], '', headerFor(), rows[1], 'Unable to determine the device handle for GPU 0000:38:00.0: GPU is lost', ''].join('\n');
    const parsed = parseGpuCsv(text);
    expect(parsed.gpus.map((gpu) => gpu.index)).toEqual([0, 1]);
    expect(parsed.unexpected).toEqual(['Unable to determine the device handle for GPU 0000:38:00.0: GPU is lost']);
  });

  it('rejects rows with the wrong number of cells or no index', () => {
    expect(parseGpuRow('0, GPU-x, name')).toBeNull();
    expect(parseGpuRow(GPU_QUERY_FIELDS.map(() => '[N/A]').join(', '))).toBeNull();
  });

  it('builds the -lms stream arguments and names the rejected field', () => {
    expect(gpuQueryArgs(['index', 'uuid'], 1000)).toEqual(['--query-gpu=index,uuid', '--format=csv,noheader,nounits', '-lms', '1000']);
    expect(rejectedField('Field "temperature.gpu.tlimit" is not a valid field to query.')).toBe('temperature.gpu.tlimit');
    expect(rejectedField('something else')).toBeNull();
    expect(REQUIRED_GPU_FIELDS[0]).toBe('index');
  });
});

describe('--query-compute-apps on the project fixtures', () => {
  it('reads a process name that contains ", " whole', () => {
    const apps = parseComputeProcesses(projectApps(ownFixture('compute-apps_h100-x8_train.csv')));
    expect(COMPUTE_PROCESS_FIELDS).toEqual(['gpu_uuid', 'pid', 'process_name', 'used_gpu_memory']);
    // projectApps splits on ',' like nvidia-smi readers must; the raw line keeps the name whole:
    const raw = 'GPU-3f6a1c2e-8b1d-4c55-9e0a-1a2b3c4d5e60, 424300, python3 train.py, resume, 512';
    expect(parseComputeProcesses(raw)).toEqual([{ gpuUuid: 'GPU-3f6a1c2e-8b1d-4c55-9e0a-1a2b3c4d5e60', pid: 424300, processName: 'python3 train.py, resume', usedMemoryMiB: 512 }]);
    expect(apps.find((app) => app.pid === 1758887)?.processName).toBeNull();
  });
});

describe('rocm-smi --json on the project fixture', () => {
  it('falls back to junction temperature and socket power; ignores a warning line', () => {
    const gpus = parseRocmSmiJson(ownFixture('rocm-smi_mi300x-x2.json'));
    expect(gpus[0]).toMatchObject({ name: 'AMD Instinct MI300X', temperatureC: 61, powerDrawW: 512, powerLimitW: 750, utilizationMemoryPercent: 38 });
    expect(gpus[1]).toMatchObject({ uuid: null, temperatureC: null, powerDrawW: null, utilizationGpuPercent: 0 });
    expect(() => parseRocmSmiJson('rocm-smi: command failed')).toThrow(/no JSON/);
  });
});
