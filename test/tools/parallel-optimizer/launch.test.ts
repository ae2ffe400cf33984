// Launch output that runs as printed: every generated config parses (YAML with the yaml package, JSON), DeepSpeed's
// batch rule holds, and the printed commands and megatron_pretrain.sh run under bash against launchers on PATH that
// record the arguments they receive.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { launchCommands, type Launch } from '../../../shared/tools/parallel-optimizer/launch.js';
import { HOSTFILE_MAX_LISTED } from '../../../shared/tools/parallel-optimizer/launch-configs.js';
import { buildReport } from '../../../shared/tools/parallel-optimizer/main.js';
import type { Report } from '../../../shared/tools/parallel-optimizer/render.js';
import { useTempDir } from '../../support/tmp.js';
import { fakePath, fixtureDir, runTool } from './helpers.js';

const tempDir = useTempDir('dp-parallel-launch-');
const noDetection = () => Promise.reject(new Error('flags describe the cluster'));
async function plan(args: string): Promise<Report> {
  return (await buildReport(args.split(/\s+/).filter(Boolean), noDetection))!.report;
}
const LLAMA3 = join(fixtureDir, 'llama3-8b', 'config.json');
const H100 = '--gpu-name H100 --interconnect nvlink --gpu-memory 80GiB';

/** The launch of every strategy row of a plan, not only the recommended one. */
function everyLaunch(report: Report): Launch[] {
  return report.strategies.map((row) => launchCommands(report.cluster, row, report.training, report.model, undefined, null));
}

/** A directory with fake torchrun, deepspeed and accelerate that write their arguments, one per line. */
function fakeLaunchers(): { bin: string; out: string; argv: (name: string) => string[] } {
  const bin = tempDir();
  const out = tempDir();
  for (const name of ['torchrun', 'deepspeed', 'accelerate']) {
    const path = join(bin, name);
    writeFileSync(path, `#!/bin/sh\nprintf '%s\\n' "$@" > "$ARGV_DIR/${name}"\n`);
    chmodSync(path, 0o755);
  }
  return { bin, out, argv: (name) => readFileSync(join(out, name), 'utf8').trimEnd().split('\n') };
}

function writeFiles(dir: string, launch: Launch): void {
  for (const file of launch.files) writeFileSync(join(dir, file.name), file.content);
}

function bash(command: string, cwd: string, env: NodeJS.ProcessEnv) {
  return spawnSync('bash', ['-c', command], { cwd, env, encoding: 'utf8' });
}

describe('generated configs parse and keep the batch arithmetic', () => {
  it.each([
    ['one node', `--params 7B --gpus 8 ${H100}`],
    ['4 nodes, 4 micro-batches of 2', `--params 13B --nodes 4 --gpus-per-node 8 --micro-batch 2 --global-batch 512 ${H100}`],
  ])('%s: ds_config.json train_batch_size = micro x grad_acc x dp; accelerate YAML as accelerate reads it', async (_name, args) => {
    const report = await plan(args);
    const launches = everyLaunch(report);
    for (const launch of launches.filter((l) => l.strategy.startsWith('zero'))) {
      const ds = JSON.parse(launch.files.find((f) => f.name === 'ds_config.json')!.content);
      const row = report.strategies.find((s) => s.name === launch.strategy)!;
      expect(ds.train_batch_size).toBe(ds.train_micro_batch_size_per_gpu * ds.gradient_accumulation_steps * row.layout.d);
      expect(ds.train_batch_size).toBe(report.training.globalBatch);
      expect(ds.zero_optimization.stage).toBe(launch.strategy === 'zero1' ? 1 : launch.strategy === 'zero2' ? 2 : 3);
      expect(ds.bf16).toEqual({ enabled: true });
      const acc = parseYaml(launch.files.find((f) => f.name === 'accelerate_deepspeed.yaml')!.content);
      expect(acc).toMatchObject({ distributed_type: 'DEEPSPEED', num_machines: report.cluster.nodes, num_processes: report.cluster.totalGpus, mixed_precision: 'bf16' });
      expect(acc.deepspeed_config).toMatchObject({ zero_stage: ds.zero_optimization.stage, gradient_accumulation_steps: ds.gradient_accumulation_steps, zero3_init_flag: ds.zero_optimization.stage === 3 });
      const fsdp = launch.files.find((f) => f.name === 'accelerate_fsdp.yaml');
      if (launch.strategy === 'zero1') expect(fsdp).toBeUndefined();
      else {
        const config = parseYaml(fsdp!.content);
        expect(config.distributed_type).toBe('FSDP');
        expect(config.fsdp_config).toMatchObject({ fsdp_version: 2, fsdp_reshard_after_forward: launch.strategy !== 'zero2', fsdp_offload_params: launch.strategy === 'zero3-offload' });
      }
      if (report.cluster.nodes > 1) {
        expect(launch.files.find((f) => f.name === 'hostfile')!.content).toBe('node-1 slots=8\nnode-2 slots=8\nnode-3 slots=8\nnode-4 slots=8\n');
        expect(acc.deepspeed_config.deepspeed_multinode_launcher).toBe('standard');
      }
    }
    const ddp = parseYaml(launches[0]!.files.find((f) => f.name === 'accelerate_config.yaml')!.content);
    expect(ddp).toMatchObject({ distributed_type: 'MULTI_GPU', num_processes: report.cluster.totalGpus, main_process_port: 29500 });
  });

  it('beyond 64 nodes the hostfile is written from the Slurm allocation', async () => {
    const report = await plan(`--params 7B --nodes ${HOSTFILE_MAX_LISTED + 1} --gpus-per-node 8 ${H100}`);
    const zero1 = everyLaunch(report).find((l) => l.strategy === 'zero1')!;
    const file = zero1.files.find((f) => f.name === 'make_hostfile.sh')!;
    expect(file.content).toBe(`#!/bin/bash\nset -euo pipefail\nscontrol show hostnames "$SLURM_JOB_NODELIST" | sed 's/$/ slots=8/' > hostfile\n`);
  });
});

describe('the printed commands run as printed', () => {
  it('one node, ZeRO-1: torchrun, deepspeed and accelerate receive the script and its arguments', async () => {
    const run = await runTool(['--params', '7B', '--gpus', '8', '--gpu-memory', '80GiB', '--json']);
    const launch = JSON.parse(run.stdout).launch as Launch;
    expect(launch.commands.map((c) => c.label)).toEqual(['torchrun', 'deepspeed launcher', 'accelerate launch, DeepSpeed']);
    const dir = tempDir();
    writeFiles(dir, launch);
    const { bin, out, argv } = fakeLaunchers();
    const env = { ...process.env, PATH: fakePath(bin) + ':/usr/bin:/bin', ARGV_DIR: out };
    for (const c of launch.commands) {
      const result = bash(c.command, dir, env);
      expect(result.status, `${c.command}: ${result.stderr}`).toBe(0);
    }
    expect(argv('torchrun')).toEqual(['--standalone', '--nnodes=1', '--nproc-per-node=8', 'train.py', '--deepspeed', 'ds_config.json']);
    expect(argv('deepspeed')).toEqual(['--num_gpus=8', 'train.py', '--deepspeed', 'ds_config.json']);
    expect(argv('accelerate')).toEqual(['launch', '--config_file', 'accelerate_deepspeed.yaml', 'train.py']);
  });

  it('several nodes: the deepspeed launcher uses the hostfile and node 0; accelerate gets each node its rank', async () => {
    const report = await plan(`--params 13B --nodes 2 --gpus-per-node 8 ${H100}`);
    const launch = everyLaunch(report).find((l) => l.strategy === 'zero3')!;
    const dir = tempDir();
    writeFiles(dir, launch);
    const { bin, out, argv } = fakeLaunchers();
    const env = { ...process.env, PATH: fakePath(bin) + ':/usr/bin:/bin', ARGV_DIR: out, NODE_RANK: '1', MASTER_ADDR: '10.0.0.1', JOB_ID: '7', HOST_NODE_ADDR: '10.0.0.1' };
    for (const c of launch.commands) {
      const result = bash(c.command, dir, env);
      expect(result.status, `${c.command}: ${result.stderr}`).toBe(0);
    }
    expect(argv('deepspeed')).toEqual(['--hostfile=hostfile', '--num_nodes=2', '--num_gpus=8', '--master_addr=10.0.0.1', '--master_port=29500', 'train.py', '--deepspeed', 'ds_config.json']);
    expect(argv('accelerate')).toEqual(['launch', '--config_file', 'accelerate_fsdp.yaml', '--machine_rank', '1', '--main_process_ip', '10.0.0.1', 'train.py']);
    expect(argv('torchrun')).toContain('--rdzv-endpoint=10.0.0.1:29400');
  });
});

describe('megatron_pretrain.sh', () => {
  async function megatronLaunch(): Promise<{ launch: Launch; report: Report }> {
    const report = await plan(`--model ${LLAMA3} --params 8.03B --nodes 2 --gpus-per-node 8 --gpu-memory 24GiB --interconnect nvlink --seq-len 8192`);
    return { report, launch: report.launch };
  }

  it('refuses to start until each placeholder is set, naming it', async () => {
    const { launch } = await megatronLaunch();
    expect(launch.strategy).toMatch(/^(tp|pp|3d)$/);
    const dir = tempDir();
    writeFiles(dir, launch);
    const { bin, out } = fakeLaunchers();
    const result = bash('bash megatron_pretrain.sh', dir, { ...process.env, PATH: `${bin}:/usr/bin:/bin`, ARGV_DIR: out });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('DATA_PATH: PLACEHOLDER: set DATA_PATH to the prefix of your data preprocessed by Megatron-LM tools/preprocess_data.py');
  });

  it('passes the complete model arguments from config.json, the layout and the placeholders to torchrun', async () => {
    const { launch, report } = await megatronLaunch();
    const dir = tempDir();
    writeFiles(dir, launch);
    const { bin, out, argv } = fakeLaunchers();
    const env = { ...process.env, PATH: `${bin}:/usr/bin:/bin`, ARGV_DIR: out, DATA_PATH: '/data/web_text_document', TOKENIZER_MODEL: 'meta-llama/Meta-Llama-3-8B', CHECKPOINT_DIR: '/ckpt', TRAIN_ITERS: '1000', MASTER_ADDR: '10.0.0.1', NODE_RANK: '0' };
    const result = bash('bash megatron_pretrain.sh', dir, env);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const args = argv('torchrun').join(' ');
    expect(args).toContain('--nproc-per-node=8 --nnodes=2 --node-rank=0 --master-addr=10.0.0.1 --master-port=6000 pretrain_gpt.py');
    expect(args).toContain(
      '--num-layers 32 --hidden-size 4096 --num-attention-heads 32 --group-query-attention --num-query-groups 8 --ffn-hidden-size 14336 --seq-length 8192 --max-position-embeddings 8192 --vocab-size 128256 --swiglu --position-embedding-type rope --rotary-base 500000 --normalization RMSNorm --norm-epsilon 0.00001 --untie-embeddings-and-output-weights --disable-bias-linear',
    );
    const { t, p } = report.strategies.find((s) => s.name === launch.strategy)!.layout;
    expect(args).toContain(`--tensor-model-parallel-size ${t} --pipeline-model-parallel-size ${p}`);
    expect(args).toContain(`--micro-batch-size 1 --global-batch-size ${report.training.globalBatch} --bf16`);
    expect(args).toContain('--data-path /data/web_text_document --tokenizer-type HuggingFaceTokenizer --tokenizer-model meta-llama/Meta-Llama-3-8B');
    expect(args).toContain('--train-iters 1000');
  });

  it('the 3d row carries the distributed optimizer and the grad-precision flags; the script passes bash -n', async () => {
    const report = await plan(`--model ${LLAMA3} --params 8.03B --nodes 2 --gpus-per-node 8 --grad-precision bf16 ${H100}`);
    const threeD = everyLaunch(report).find((l) => l.strategy === '3d')!;
    const script = threeD.files.find((f) => f.name === 'megatron_pretrain.sh')!.content;
    expect(script).toContain('  --use-distributed-optimizer\n');
    expect(script).toContain('  --bf16\n  --grad-reduce-in-bf16\n');
    const dir = tempDir();
    writeFileSync(join(dir, 's.sh'), script);
    expect(spawnSync('bash', ['-n', join(dir, 's.sh')]).status).toBe(0);
  });

  it('without config.json the script says the shape is estimated', async () => {
    const report = await plan(`--params 70B --nodes 4 --gpus-per-node 8 --recompute selective ${H100}`);
    const script = report.launch.files.find((f) => f.name === 'megatron_pretrain.sh')!.content;
    expect(script).toContain('# model arguments from an ESTIMATED shape (no config.json): replace them with your model');
  });
});

describe('hostile names', () => {
  it('a config path with a newline stays inside the script comment: only torchrun runs', async () => {
    const dir = tempDir();
    const hostile = join(dir, 'x\ntouch pwned\n');
    mkdirSync(hostile);
    copyFileSync(LLAMA3, join(hostile, 'config.json'));
    const built = await buildReport(['--config', join(hostile, 'config.json'), '--params', '8.03B', '--nodes', '2', '--gpus-per-node', '8', '--gpu-memory', '24GiB', '--interconnect', 'nvlink', '--seq-len', '8192'], noDetection);
    const launch = built!.report.launch;
    const script = launch.files.find((f) => f.name === 'megatron_pretrain.sh')!.content;
    expect(script).not.toContain('\ntouch pwned');
    const work = tempDir();
    writeFiles(work, launch);
    const { bin, out } = fakeLaunchers();
    const env = { ...process.env, PATH: `${bin}:/usr/bin:/bin`, ARGV_DIR: out, DATA_PATH: 'd', TOKENIZER_MODEL: 't', CHECKPOINT_DIR: 'c', TRAIN_ITERS: '1', MASTER_ADDR: 'a', NODE_RANK: '0' };
    expect(bash('bash megatron_pretrain.sh', work, env).status).toBe(0);
    expect(existsSync(join(work, 'pwned'))).toBe(false);
  });
});

describe('text report', () => {
  it('prints the commands and every file with the recommendation', async () => {
    const run = await runTool(['--params', '7B', '--gpus', '8', '--gpu-memory', '80GiB']);
    const launch = run.stdout.slice(run.stdout.indexOf('Launch (one node)'));
    expect(launch).toContain('  deepspeed launcher: on this node\n    deepspeed --num_gpus=8 train.py --deepspeed ds_config.json');
    expect(launch).toContain('  ds_config.json: DeepSpeed config: train_batch_size 32 = micro-batch 1 x gradient accumulation 4 x data-parallel 8, as DeepSpeed asserts\n    {\n      "train_batch_size": 32,');
    expect(launch).toContain('  accelerate_deepspeed.yaml: accelerate config with the same ZeRO settings');
    expect(launch).toContain('    distributed_type: DEEPSPEED\n    deepspeed_config:\n      zero_stage: 1\n');
  });
});
