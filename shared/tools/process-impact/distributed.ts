// Distributed-training facts from the process environment and its ancestors, and what the other ranks do when this
// one dies or stops, stated from the launchers' documented behaviour. Facts: impact.md §3.1-3.5.
import type { ProcEntry, ProcRead } from '../lib/proc.js';
import type { DistributedJson } from './types.js';

export interface DistributedFacts {
  json: DistributedJson;
  /** The launcher process above this one (torchrun agent, deepspeed launcher, srun...), when found. */
  agent: ProcEntry | null;
  /** Extra lines for the text output: restart budget, store host, timeouts. */
  details: string[];
}

const int = (value: string | undefined): number | null => (value !== undefined && /^-?\d+$/.test(value.trim()) ? Number(value) : null);

/** Launcher named by an ancestor's command line. */
export function launcherOfCommand(cmdline: string[]): string | null {
  const cmd = cmdline.join(' ');
  if (/accelerate(\/commands)?[ /]launch|\baccelerate\b.*\blaunch\b/.test(cmd)) return 'accelerate';
  if (/deepspeed\.launcher|(^|\/)deepspeed(\s|$)/.test(cmd)) return 'deepspeed';
  if (/torch\.distributed\.(run|launch)|(^|[/\s])torchrun(\s|$)/.test(cmd)) return 'torchrun';
  if (/(^|\/)(srun|slurmstepd)(\s|:|$)/.test(cmd)) return 'slurm';
  if (/(^|\/)(mpirun|mpiexec|orterun|prterun|orted|prted|hydra_pmi_proxy)(\s|$)/.test(cmd)) return 'mpi';
  return null;
}

const MPI_RANK = ['OMPI_COMM_WORLD_RANK', 'PMI_RANK', 'PMIX_RANK'];
const MPI_SIZE = ['OMPI_COMM_WORLD_SIZE', 'PMI_SIZE'];
const MPI_LOCAL = ['OMPI_COMM_WORLD_LOCAL_RANK', 'MPI_LOCALRANKID'];

function first(env: Record<string, string>, names: string[]): string | undefined {
  for (const name of names) if (env[name] !== undefined) return env[name];
  return undefined;
}

/**
 * Distributed facts, or null when nothing says the process is part of a distributed job.
 * `env` may be unreadable (another user's process): then only ancestors and argv (--local_rank) are used.
 */
export function analyzeDistributed(entry: ProcEntry, env: ProcRead<Record<string, string>>, ancestors: ProcEntry[]): DistributedFacts | null {
  const vars = env.ok ? env.value : {};
  let agent: ProcEntry | null = null;
  let fromAncestor: string | null = null;
  for (const ancestor of ancestors) {
    const launcher = launcherOfCommand(ancestor.cmdline);
    if (launcher) {
      agent = ancestor;
      fromAncestor = launcher;
      break;
    }
  }
  // The analysed process may be the launcher itself (torchrun agent, deepspeed launcher, srun...).
  const ownLauncher = launcherOfCommand(entry.cmdline);
  if (ownLauncher) {
    agent = null;
    fromAncestor = ownLauncher;
  }
  const localRankArg = entry.cmdline.map((a) => /^--local[_-]rank=(\d+)$/.exec(a)?.[1]).find((v) => v !== undefined);
  // A launcher is named only from a process: an ancestor (or the process itself) running it. Variables alone only
  // suggest one (they are inherited, copied into containers, set by hand), and the text says so.
  let launcher: string | null = fromAncestor;
  let evidence: string | null = ownLauncher ? 'its own command line' : agent ? `ancestor PID ${agent.pid}: ${agent.cmdline.join(' ').slice(0, 120)}` : null;
  // Lightning's own launcher: rank 0 is the original process; the others re-run its exact command with LOCAL_RANK set.
  if (!launcher && vars.NODE_RANK !== undefined && ancestors[0] && ancestors[0].cmdline.join('\0') === entry.cmdline.join('\0')) {
    launcher = 'lightning';
    agent = ancestors[0];
    evidence = `parent PID ${agent.pid} runs the same command (Lightning's launcher in rank 0)`;
  }
  let suggested: { name: string; variable: string } | null = null;
  if (!launcher) {
    const accelerate = Object.keys(vars).find((k) => k.startsWith('ACCELERATE_'));
    if (accelerate) suggested = { name: 'accelerate', variable: accelerate };
    else if (vars.TORCHELASTIC_RUN_ID !== undefined || vars.TORCHELASTIC_RESTART_COUNT !== undefined) suggested = { name: 'torchrun', variable: vars.TORCHELASTIC_RUN_ID !== undefined ? 'TORCHELASTIC_RUN_ID' : 'TORCHELASTIC_RESTART_COUNT' };
    else if (vars.CROSS_RANK !== undefined && vars.LOCAL_SIZE !== undefined) suggested = { name: 'deepspeed', variable: 'CROSS_RANK/LOCAL_SIZE' };
    else if (first(vars, MPI_RANK) !== undefined) suggested = { name: 'mpi', variable: MPI_RANK.find((k) => vars[k] !== undefined)! };
    else if (vars.SLURM_PROCID !== undefined && vars.SLURM_JOB_ID !== undefined && vars.SLURM_STEP_ID !== undefined) suggested = { name: 'slurm', variable: 'SLURM_STEP_ID' };
  }
  const behaviour = launcher ?? suggested?.name ?? null;

  const rank = int(vars.RANK) ?? int(first(vars, MPI_RANK)) ?? int(vars.SLURM_PROCID);
  const localRank = int(vars.LOCAL_RANK) ?? int(localRankArg) ?? int(first(vars, MPI_LOCAL)) ?? int(vars.SLURM_LOCALID);
  const worldSize = int(vars.WORLD_SIZE) ?? int(first(vars, MPI_SIZE)) ?? int(vars.SLURM_NTASKS);
  const masterAddr = vars.MASTER_ADDR ?? null;
  const masterPort = int(vars.MASTER_PORT);
  if (!behaviour && rank === null && worldSize === null && localRank === null && masterAddr === null) return null;

  const details: string[] = [];
  const peersCount = worldSize === null ? null : Math.max(0, worldSize - 1);
  const pgTimeout =
    'NCCL ranks blocked in a collective with this one wait until the process-group timeout (10 min by default for NCCL, 30 min for other backends, unless the script passes timeout= to init_process_group) and then abort; a dead peer often surfaces sooner as ncclRemoteError';
  let ifKilled: string;
  let ifSuspended = `the other ranks block in their next collective; ${pgTimeout.replace('NCCL ranks blocked in a collective with this one wait', 'they wait')}. SIGCONT before then lets them continue. A launcher only sees exit codes, so it keeps treating a stopped rank as running`;
  if (!behaviour) ifSuspended = `the other ranks block in their next collective and wait until the process-group timeout (10 min by default for NCCL) before aborting`;

  switch (behaviour) {
    case 'torchrun':
    case 'accelerate': {
      const max = int(vars.TORCHELASTIC_MAX_RESTARTS);
      const count = int(vars.TORCHELASTIC_RESTART_COUNT);
      const via = launcher === 'accelerate' ? 'Accelerate runs torch.distributed.run, so its elastic agent' : 'the torchrun elastic agent';
      if (max !== null && count !== null) {
        const left = Math.max(0, max - count);
        details.push(`restarts: ${count} used of --max-restarts ${max} (TORCHELASTIC_RESTART_COUNT, TORCHELASTIC_MAX_RESTARTS)`);
        ifKilled =
          left > 0
            ? `${via} stops all surviving local workers (SIGTERM, SIGKILL after 30 s) and restarts the whole group (${left} of ${max} restarts left); every rank resumes from the last checkpoint, so all ranks lose the work since it`
            : `${via} stops all surviving workers (SIGTERM, SIGKILL after 30 s) and the job fails: no restarts left (--max-restarts ${max}, ${count} used)`;
      } else {
        ifKilled = `${via} stops all surviving workers (SIGTERM, SIGKILL after 30 s) and restarts the group only while --max-restarts remain (default 0: the job fails); TORCHELASTIC_MAX_RESTARTS/RESTART_COUNT were not readable`;
      }
      const agentStore = (vars.TORCHELASTIC_USE_AGENT_STORE ?? '').toLowerCase() === 'true';
      if (rank === 0 && !agentStore) details.push('rank 0 hosts the c10d TCPStore (TORCHELASTIC_USE_AGENT_STORE is not True): killing it takes the store down for every rank (inferred from torch rendezvous code)');
      if (agentStore) details.push('the TCPStore is hosted by the elastic agent (TORCHELASTIC_USE_AGENT_STORE=True)');
      details.push(`TORCH_NCCL_ASYNC_ERROR_HANDLING=${vars.TORCH_NCCL_ASYNC_ERROR_HANDLING ?? 'unset (torchrun injects 1: abort and tear down on a failed collective)'}`);
      break;
    }
    case 'lightning':
      ifKilled =
        "Lightning's launcher (in the rank-0 process) checks its children every 5 s; when one exits non-zero it SIGKILLs all of them and the main process";
      break;
    case 'deepspeed':
      ifKilled =
        'the DeepSpeed launcher sees the first non-zero exit (it polls every 1 s) and terminates every other local rank (SIGTERM, SIGKILL after 30 s); non-elastic runs have no restart';
      break;
    case 'slurm': {
      const kill = vars.SLURM_KILL_BAD_EXIT;
      ifKilled =
        kill === '1'
          ? 'srun --kill-on-bad-exit is set (SLURM_KILL_BAD_EXIT=1): Slurm terminates the whole step when this task exits non-zero'
          : `Slurm keeps the other tasks running (${kill === undefined ? 'SLURM_KILL_BAD_EXIT not set: slurm.conf KillOnBadExit decides, default 0' : `SLURM_KILL_BAD_EXIT=${kill}`}); ${pgTimeout}`;
      if (vars.SLURM_JOB_ID) details.push(`Slurm job ${vars.SLURM_JOB_ID}${vars.SLURM_STEP_ID ? ` step ${vars.SLURM_STEP_ID}` : ''}${vars.SLURM_RESTART_COUNT ? `, requeued ${vars.SLURM_RESTART_COUNT} time(s)` : ''}`);
      if (vars.SLURM_JOB_END_TIME && /^\d+$/.test(vars.SLURM_JOB_END_TIME)) {
        details.push(`job time limit ends at ${new Date(Number(vars.SLURM_JOB_END_TIME) * 1000).toISOString()} (SLURM_JOB_END_TIME)`);
      }
      break;
    }
    case 'mpi':
      ifKilled = `what the other ranks do is decided by the MPI launcher${agent ? ` (${agent.comm}, PID ${agent.pid})` : ''}, not stated here; ranks blocked in a collective with this one do not continue without it`;
      break;
    default:
      ifKilled = `no launcher found (only RANK/WORLD_SIZE-style variables): ${pgTimeout}`;
  }
  if (suggested && peersCount !== 0) {
    const hedge = `if it runs under ${suggested.name}, as ${suggested.variable} in its environment suggests (no ${suggested.name} process was found among its ancestors, so none is named): `;
    ifKilled = hedge + ifKilled;
    details.push(`launcher not named: ${suggested.variable} suggests ${suggested.name}, but no launcher process runs above it (a variable alone is no evidence: it is inherited and copied)`);
  }
  if (peersCount === 0) {
    ifKilled = 'no other ranks (world size 1)';
    ifSuspended = 'no other ranks (world size 1)';
  }
  if (ownLauncher) details.push(`this process is the ${ownLauncher} launcher itself: its worker ranks are its descendants and end with it ([K] kills them, [G] makes it forward the signal to them)`);
  if (!env.ok) details.push(`environment unreadable (${env.message}): rank and world size come from the command line and ancestors only`);
  if (vars.SLURM_JOB_ID && launcher !== 'slurm') details.push(`inside Slurm job ${vars.SLURM_JOB_ID}`);
  return {
    json: { launcher, rank, localRank, worldSize, masterAddr, masterPort, peers: { count: peersCount, ifKilled, ifSuspended }, launcherEvidence: evidence },
    agent,
    details,
  };
}
