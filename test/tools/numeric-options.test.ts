// Every numeric option of every tool against NaN, Infinity, a negative number, 1e30 and (where a whole number is
// needed) 1.5: a usage error (exit 2) naming the option, its range and the value. Then the extremes that are allowed
// must plan with finite numbers, and the absurd ones must come back at once from the built script: with no timed
// assertion, finishing under vitest's timeout is the proof that nothing loops over a huge count.
import { describe, expect, it } from 'vitest';
import { main as architecture } from '../../shared/tools/architecture/main.js';
import { parseSettings } from '../../shared/tools/gpu-monitor/main.js';
import { DpError } from '../../shared/tools/lib/cli.js';
import { buildReport } from '../../shared/tools/parallel-optimizer/main.js';
import { renderExplain } from '../../shared/tools/parallel-optimizer/explain.js';
import { renderReport, toJson } from '../../shared/tools/parallel-optimizer/render.js';
import { main as processImpact } from '../../shared/tools/process-impact/main.js';
import { runTool as parallelOptimizer } from './parallel-optimizer/helpers.js';

type Kind = 'integer' | 'number' | 'whole' | 'real' | 'fraction' | 'count' | 'memory';
/** [tool, flag, kind, the range as the message states it, the rest of the message after the range] */
type Case = [string, string, Kind, string, string?];

const CASES: Case[] = [
  ['analyze_process_impact', 'sample-ms', 'integer', '0 and 60000'],
  ['analyze_process_impact', 'wait-timeout', 'number', '0 and 31536000'],
  ['analyze_process_impact', 'poll-ms', 'integer', '50 and 600000'],
  ['analyze_process_impact', 'wait', 'number', '0 and 86400'],
  ['analyze_process_impact', 'watch', 'number', '0 and 3600'],
  ['gpu_monitor', 'interval', 'number', '0.1 and 3600'],
  ['gpu_monitor', 'count', 'integer', '1 and 1000000000'],
  ['gpu_monitor', 'prometheus', 'integer', '0 and 65535'],
  ['gpu_monitor', 'port', 'integer', '1 and 65535'],
  ['gpu_monitor', 'processes-every', 'number', '0.1 and 3600'],
  ['gpu_monitor', 'top', 'integer', '1 and 1000'],
  ['gpu_monitor', 'timeout', 'number', '0.1 and 600'],
  ['analyze_architecture', 'depth', 'integer', '1 and 8'],
  ['analyze_architecture', 'max-files', 'integer', '1 and 10000000'],
  ['analyze_architecture', 'max-file-kb', 'integer', '1 and 1048576'],
  ['parallel_optimizer', 'params', 'count', '1 and 1000T (1e15)', ', such as 7B, 1.3e9 or 350M'],
  ['parallel_optimizer', 'largest-layer', 'count', '1 and 1000T (1e15)', ', such as 7B, 1.3e9 or 350M'],
  ['parallel_optimizer', 'layers', 'whole', '1 and 100000'],
  ['parallel_optimizer', 'hidden-size', 'whole', '1 and 1048576'],
  ['parallel_optimizer', 'heads', 'whole', '1 and 65536'],
  ['parallel_optimizer', 'kv-heads', 'whole', '1 and 65536'],
  ['parallel_optimizer', 'vocab-size', 'whole', '1 and 16777216'],
  ['parallel_optimizer', 'seq-len', 'whole', '1 and 16777216'],
  ['parallel_optimizer', 'micro-batch', 'whole', '1 and 65536'],
  ['parallel_optimizer', 'global-batch', 'whole', '1 and 1073741824'],
  ['parallel_optimizer', 'interleave', 'whole', '1 and 1024'],
  ['parallel_optimizer', 'headroom', 'fraction', '0 and 0.9', ' (e.g. 0.4 or 40%)'],
  ['parallel_optimizer', 'mfu', 'fraction', '0.01 and 1', ' (e.g. 0.4 or 40%)'],
  ['parallel_optimizer', 'peak-tflops', 'real', '0.001 and 1000000', ' (TFLOP/s)'],
  ['parallel_optimizer', 'gpus', 'whole', '1 and 1048576'],
  ['parallel_optimizer', 'nodes', 'whole', '1 and 1048576'],
  ['parallel_optimizer', 'gpus-per-node', 'whole', '1 and 1048576'],
  ['parallel_optimizer', 'gpu-memory', 'memory', '1MiB and 64TiB', ', such as 80GiB, 81920MiB or 40GB'],
  ['parallel_optimizer', 'bus-bandwidth', 'real', '0.001 and 100000', ' (GB/s)'],
  ['parallel_optimizer', 'inter-node-bandwidth', 'real', '0.001 and 100000', ' (GB/s)'],
];

const WORDS: Record<Kind, string> = {
  integer: 'an integer',
  number: 'a number',
  whole: 'a whole number',
  real: 'a number',
  fraction: 'a fraction',
  count: 'a count',
  memory: 'a memory size',
};

const PLAN = ['--params', '7B', '--gpus', '8', '--gpu-memory', '80GiB'];

/** Parse `--flag value` the way each tool does, in-process: what it throws is what its script prints. */
async function parse(tool: string, flag: string, value: string): Promise<unknown> {
  // `--flag value` as a user types it: a negative value is a separate argument.
  const option = [`--${flag}`, value];
  switch (tool) {
    case 'analyze_process_impact':
      return processImpact([String(process.pid), '--json', ...option]);
    case 'gpu_monitor':
      return parseSettings(option);
    case 'analyze_architecture':
      return architecture(['.', ...option]);
    default: {
      const base = PLAN.filter((_, i) => PLAN[i - (i % 2)] !== `--${flag}`);
      return buildReport([...base, ...option], () => Promise.reject(new Error('no detection here')));
    }
  }
}

const rows = CASES.flatMap(([tool, flag, kind, range, after = '']) =>
  ['NaN', 'Infinity', '-1', '1e30', ...(['integer', 'whole'].includes(kind) ? ['1.5'] : [])].map((value) => [`${tool} --${flag} ${value}`, tool, flag, value, `--${flag} must be ${WORDS[kind]} between ${range}${after}, got '${value}'`] as const),
);

describe('every numeric option is bounded: exit 2 and one line naming the option, its range and the value', () => {
  it.each(rows)('%s', async (_name, tool, flag, value, message) => {
    const error = await parse(tool, flag, value).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DpError);
    expect((error as DpError).message).toBe(message);
    expect((error as DpError).exitCode).toBe(2);
  });
});

describe('parallel_optimizer at the edges of its ranges', () => {
  const finite = (value: unknown): boolean =>
    typeof value === 'number' ? Number.isFinite(value) : Array.isArray(value) ? value.every(finite) : value && typeof value === 'object' ? Object.values(value).every(finite) : true;

  it.each([
    ['the most GPUs, NVLink, every size at its maximum', '--params 1000T --largest-layer 1000T --layers 100000 --hidden-size 1048576 --heads 65536 --kv-heads 65536 --vocab-size 16777216 --seq-len 16777216 --micro-batch 65536 --interleave 1024 --headroom 0.9 --mfu 1 --peak-tflops 1000000 --nodes 1 --gpus-per-node 1048576 --gpu-memory 64TiB --bus-bandwidth 100000 --interconnect nvlink'],
    ['a highly composite GPU count over many nodes, the largest global batch', '--params 1000T --gpus 720720 --nodes 720 --gpus-per-node 1001 --gpu-memory 1MiB --global-batch 720720 --bus-bandwidth 0.001 --inter-node-bandwidth 0.001 --peak-tflops 0.001 --mfu 0.01'],
    ['everything at its minimum', '--params 1 --largest-layer 1 --layers 1 --hidden-size 1 --heads 1 --kv-heads 1 --vocab-size 1 --seq-len 1 --micro-batch 1 --interleave 1 --headroom 0 --gpus 1 --gpu-memory 1MiB --peak-tflops 0.001 --mfu 0.01 --bus-bandwidth 0.001'],
  ])('%s: finite numbers everywhere, text without exponents', async (_name, args) => {
    const built = await buildReport(args.split(' '), () => Promise.reject(new Error('no detection here')));
    expect(finite(toJson(built!.report))).toBe(true);
    const plain = (_style: string, text: string) => text;
    const text = renderReport(built!.report, plain) + renderExplain(built!.report, plain);
    expect(text).not.toMatch(/\d[eE][+-]?\d|NaN|Infinity/);
  });

  it.each([
    ['--gpus 1e30', "parallel_optimizer: --gpus must be a whole number between 1 and 1048576, got '1e30'"],
    ['--gpus 10000000', "parallel_optimizer: --gpus must be a whole number between 1 and 1048576, got '10000000'"],
    ['--gpus 8 --seq-len 1e30', "parallel_optimizer: --seq-len must be a whole number between 1 and 16777216, got '1e30'"],
    ['--gpus 8 --headroom 1', "parallel_optimizer: --headroom must be a fraction between 0 and 0.9 (e.g. 0.4 or 40%), got '1'"],
    ['--nodes 1048576 --gpus-per-node 2', 'parallel_optimizer: --nodes 1048576 x --gpus-per-node 2 = 2097152 GPUs, more than the 1048576 this tool plans for'],
  ])('the built script refuses %s at once', async (args, line) => {
    const result = await parallelOptimizer(['--params', '7B', '--gpu-memory', '80GiB', ...args.split(' ')]);
    expect(result.stderr.split('\n')[0]).toBe(line);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });
});
