// Which GPU tool answers on this machine, with the nvidia-smi field list that this driver accepts.
// nvidia-smi first; rocm-smi only when nvidia-smi is not installed at all.
import { queryGpus, type GpuReading, type SmiFailed } from '../lib/gpu-query.js';
import { describeSmiFailure, runSmi } from '../lib/nvidia-smi.js';
import { ROCM_SMI_ARGS, parseRocmSmiJson } from '../lib/rocm-smi.js';

export interface Commands {
  nvidia: string;
  rocm: string;
}

export const DEFAULT_COMMANDS: Commands = { nvidia: 'nvidia-smi', rocm: 'rocm-smi' };

export type Discovery =
  | { kind: 'nvidia-smi'; fields: string[]; gpus: GpuReading[] }
  | { kind: 'rocm-smi'; gpus: GpuReading[] }
  /** exitCode: 2 when a prerequisite is missing (no tool, no driver, driver too old), 1 for other failures. */
  | { kind: 'none'; message: string; exitCode: 1 | 2 };

export type RocmResult = { ok: true; gpus: GpuReading[] } | SmiFailed;

/** One `rocm-smi --json` call with a timeout. */
export async function readRocm(command: string, timeoutMs: number): Promise<RocmResult> {
  const result = await runSmi(ROCM_SMI_ARGS, { command, timeoutMs });
  if (!result.ok) return result;
  try {
    const gpus = parseRocmSmiJson(result.stdout);
    if (gpus.length > 0) return { ok: true, gpus };
    return { ok: false, failure: 'failed', message: 'rocm-smi listed no GPUs', exitCode: 0 };
  } catch (error) {
    return { ok: false, failure: 'failed', message: error instanceof Error ? error.message : String(error), exitCode: 0 };
  }
}

export function describeRocmFailure(result: SmiFailed): string {
  if (result.failure === 'timeout') return `${result.message}: the amdgpu driver may be hung; check dmesg`;
  return `rocm-smi failed (${result.message}): check that the amdgpu driver is loaded and ROCm is installed`;
}

function exitCodeFor(failure: SmiFailed): 1 | 2 {
  return failure.failure === 'not-found' || failure.failure === 'driver' || failure.failure === 'invalid-field' ? 2 : 1;
}

export async function discover(timeoutMs: number, commands: Commands = DEFAULT_COMMANDS): Promise<Discovery> {
  const nvidia = await queryGpus({ timeoutMs, command: commands.nvidia });
  if (nvidia.ok) return { kind: 'nvidia-smi', fields: nvidia.fields, gpus: nvidia.gpus };
  if (nvidia.failure !== 'not-found') return { kind: 'none', message: describeSmiFailure(nvidia), exitCode: exitCodeFor(nvidia) };
  const rocm = await readRocm(commands.rocm, timeoutMs);
  if (rocm.ok) return { kind: 'rocm-smi', gpus: rocm.gpus };
  if (rocm.failure === 'not-found') {
    return {
      kind: 'none',
      message: 'no GPU tool found: neither nvidia-smi nor rocm-smi is on PATH; install the NVIDIA driver (it ships nvidia-smi) or ROCm, or add its bin directory to PATH',
      exitCode: 2,
    };
  }
  return { kind: 'none', message: describeRocmFailure(rocm), exitCode: exitCodeFor(rocm) };
}
