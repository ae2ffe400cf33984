// Warnings a practitioner acts on, each from a stated rule over measured values:
// - starved: utilization.gpu below `starvedBelowPercent` for at least `starvedSeconds` in a row while a process
//   holds the GPU (nvidia-smi lists it) -> the GPU waits for data: check the input pipeline;
// - memory: memory.used / memory.total at or above `memoryFullPercent`;
// - thermal: a thermal slowdown reason is active, or temperature.gpu.tlimit (degrees left before slowdown) <= 5;
// - power: the SW power cap reason is active, or power.draw >= 98 % of power.limit;
// - slowdown: the HW slowdown reason is active without a thermal reason (power brake, power supply);
// - memory errors: uncorrected ECC errors since the driver loaded (ecc.errors.uncorrected.volatile.total > 0), or a
//   failed row remapping (remapped_rows.failure): the job's results may be wrong, the GPU needs a reset or service.
// Unknown values never trigger (or clear) anything by being read as 0.
import type { GpuReading } from '../lib/gpu-query.js';
import { formatDuration, formatMiB } from '../lib/format.js';
import type { GpuProcess } from './snapshot.js';

export type WarningKind = 'starved' | 'memory' | 'thermal' | 'power' | 'slowdown' | 'ecc';

export interface Warning {
  gpuIndex: number;
  kind: WarningKind;
  message: string;
}

export interface WarningRules {
  starvedSeconds: number;
  starvedBelowPercent: number;
  memoryFullPercent: number;
  thermalMarginC: number;
  powerLimitFraction: number;
}

export const DEFAULT_RULES: WarningRules = {
  starvedSeconds: 30,
  starvedBelowPercent: 10,
  memoryFullPercent: 95,
  thermalMarginC: 5,
  powerLimitFraction: 0.98,
};

const round = (value: number) => Math.round(value);

export class WarningTracker {
  /** Per GPU index: when its utilisation went (and stayed) below the threshold while it was held. */
  private readonly lowSince = new Map<number, number>();

  constructor(private readonly rules: WarningRules = DEFAULT_RULES) {}

  /** Call once per GPU sample (at = its time in ms); returns the warnings that hold now. */
  update(at: number, gpus: GpuReading[], processes: GpuProcess[] | null): Warning[] {
    const warnings: Warning[] = [];
    for (const gpu of gpus) {
      const holders = (processes ?? []).filter((p) => p.gpuIndex === gpu.index);
      warnings.push(...this.starved(at, gpu, holders));
      warnings.push(...instantWarnings(gpu, this.rules));
    }
    for (const index of this.lowSince.keys()) if (!gpus.some((gpu) => gpu.index === index)) this.lowSince.delete(index);
    return warnings;
  }

  private starved(at: number, gpu: GpuReading, holders: GpuProcess[]): Warning[] {
    const util = gpu.utilizationGpuPercent;
    if (util === null || util >= this.rules.starvedBelowPercent || holders.length === 0) {
      this.lowSince.delete(gpu.index);
      return [];
    }
    const since = this.lowSince.get(gpu.index) ?? at;
    this.lowSince.set(gpu.index, since);
    const lowSeconds = (at - since) / 1000;
    if (lowSeconds < this.rules.starvedSeconds) return [];
    const top = [...holders].sort((a, b) => (b.usedMemoryMiB ?? -1) - (a.usedMemoryMiB ?? -1))[0]!;
    const holder = `pid ${top.pid}${top.name ? ` (${top.name})` : ''}${top.usedMemoryMiB !== null ? ` holds ${formatMiB(top.usedMemoryMiB)}` : ' holds it'}`;
    return [
      {
        gpuIndex: gpu.index,
        kind: 'starved',
        message: `GPU ${gpu.index} starved: utilisation below ${this.rules.starvedBelowPercent}% for ${formatDuration(lowSeconds)} while ${holder}: check the input pipeline (data loading, preprocessing, I/O)`,
      },
    ];
  }
}

/** The warnings that one sample shows on its own (no history needed). */
export function instantWarnings(gpu: GpuReading, rules: WarningRules = DEFAULT_RULES): Warning[] {
  const warnings: Warning[] = [];
  const add = (kind: WarningKind, message: string) => warnings.push({ gpuIndex: gpu.index, kind, message: `GPU ${gpu.index} ${message}` });
  const { memoryUsedMiB: used, memoryTotalMiB: total } = gpu;
  if (used !== null && total !== null && total > 0 && (used / total) * 100 >= rules.memoryFullPercent) {
    add('memory', `memory ${round((used / total) * 100)}% full (${formatMiB(used)} of ${formatMiB(total)}): the next allocation may fail with out-of-memory`);
  }
  const temp = gpu.temperatureC === null ? '' : ` at ${gpu.temperatureC} °C`;
  if (gpu.slowdown.hwThermal || gpu.slowdown.swThermal) {
    add('thermal', `thermal slowdown active${temp}: clocks are reduced; check cooling and airflow`);
  } else if (gpu.thermalMarginC !== null && gpu.thermalMarginC <= rules.thermalMarginC) {
    add('thermal', `is ${gpu.thermalMarginC} °C from its slowdown temperature${temp} (nvidia-smi T.Limit): check cooling`);
  }
  const { powerDrawW: draw, powerLimitW: limit } = gpu;
  const atLimit = draw !== null && limit !== null && limit > 0 && draw >= limit * rules.powerLimitFraction;
  if (gpu.slowdown.swPowerCap || atLimit) {
    const figures = draw !== null && limit !== null ? ` (${round(draw)} of ${round(limit)} W)` : '';
    add('power', `at its power limit${figures}: clocks are capped by power`);
  }
  if (gpu.slowdown.hwSlowdown && !gpu.slowdown.hwThermal) {
    add('slowdown', 'hardware slowdown engaged (power brake or power supply): check the power supply and cabling');
  }
  const uncorrected = gpu.ecc.uncorrectedVolatile;
  if (gpu.ecc.remapFailure) {
    add('ecc', 'memory row remapping failed (nvidia-smi remapped_rows.failure): the GPU needs service; move jobs off it');
  } else if (uncorrected !== null && uncorrected > 0) {
    add('ecc', `has ${uncorrected} uncorrected ECC error${uncorrected === 1 ? '' : 's'} since the driver loaded: results on it may be wrong; reset the GPU (nvidia-smi -r) or drain the node`);
  }
  return warnings;
}
