// Which signal stops this process gracefully, read from its caught-signal mask (SigCgt) rather than guessed.
// Facts: impact.md §1.4 (SigCgt/SigIgn, bit n-1 = signal n), §3.4-3.5 (Python: SIGINT -> KeyboardInterrupt, SIGTERM
// default = immediate death; Lightning SIGUSR1 requeue under Slurm; SIGSTOP/SIGKILL cannot be caught).
import { constants } from 'node:os';
import { signalsInMask, type ProcStatus } from '../lib/proc.js';

const BY_NUMBER = new Map<number, string>();
for (const [name, number] of Object.entries(constants.signals)) if (!BY_NUMBER.has(number)) BY_NUMBER.set(number, name);

/** "SIGTERM" for 15 (this platform's numbering); "SIG34"-style for real-time signals. */
export function signalName(number: number): string {
  return BY_NUMBER.get(number) ?? `SIG${number}`;
}

export function signalNumber(name: string): number {
  const number = (constants.signals as Record<string, number>)[name];
  if (number === undefined) throw new Error(`unknown signal ${name}`);
  return number;
}

export interface SignalMasks {
  caught: Set<number>;
  ignored: Set<number>;
  /** Names of the caught signals, for the text output; null when the mask was not readable. */
  caughtNames: string[] | null;
}

export function signalMasks(status: ProcStatus): SignalMasks {
  const caught = new Set(status.sigCgt === null ? [] : signalsInMask(status.sigCgt));
  const ignored = new Set(status.sigIgn === null ? [] : signalsInMask(status.sigIgn));
  return { caught, ignored, caughtNames: status.sigCgt === null ? null : [...caught].map(signalName) };
}

export interface Runtime {
  python: boolean;
  node: boolean;
  /** Running inside a Slurm job (SLURM_JOB_ID in the environment). */
  slurm: boolean;
}

export interface GracefulChoice {
  signal: 'SIGTERM' | 'SIGINT' | 'SIGUSR1';
  /** Whether the mask shows a handler for it (false: it ends the process like a kill). */
  handled: boolean;
  reason: string;
}

/** The signal for [G], in order of preference: Slurm requeue (SIGUSR1), SIGTERM, SIGINT; all only when caught. */
export function chooseGraceful(masks: SignalMasks, runtime: Runtime): GracefulChoice {
  const SIGINT = signalNumber('SIGINT');
  const SIGTERM = signalNumber('SIGTERM');
  const SIGUSR1 = signalNumber('SIGUSR1');
  const has = (n: number) => masks.caught.has(n);
  if (runtime.node) {
    return {
      signal: 'SIGTERM',
      handled: has(SIGTERM),
      reason:
        'Node.js always installs SIGINT/SIGTERM handlers (it restores the terminal and exits), so the mask cannot tell whether the script itself handles SIGTERM; process.on("SIGTERM") handlers run if the script has them',
    };
  }
  if (runtime.slurm && has(SIGUSR1)) {
    return {
      signal: 'SIGUSR1',
      handled: true,
      reason:
        "a SIGUSR1 handler is installed (SigCgt) inside a Slurm job: this is Lightning's auto-requeue signal, which saves hpc_ckpt_<n>.ckpt and requeues the job (scontrol requeue); check that the script uses SLURMEnvironment(auto_requeue=True)",
    };
  }
  if (has(SIGTERM)) {
    return {
      signal: 'SIGTERM',
      handled: true,
      reason: `a SIGTERM handler is installed (SigCgt): the program's own shutdown runs${runtime.python ? ' at the next Python bytecode boundary (a long CUDA call delays it); whether it checkpoints depends on that handler (Lightning raises SIGTERMException at the next batch without saving unless OnExceptionCheckpoint is set; HF Trainer saves only with enable_jit_checkpoint)' : ''}`,
    };
  }
  if (has(SIGINT) && runtime.python) {
    return {
      signal: 'SIGINT',
      handled: true,
      reason:
        'no SIGTERM handler (plain SIGTERM would end it at once, no cleanup); Python raises KeyboardInterrupt on SIGINT, so finally blocks, context managers and atexit run (a checkpoint is saved only if the script does so on KeyboardInterrupt)',
    };
  }
  if (has(SIGINT)) {
    return { signal: 'SIGINT', handled: true, reason: 'no SIGTERM handler, but a SIGINT handler is installed (SigCgt)' };
  }
  const ignoredInt = masks.ignored.has(SIGINT) ? ' (SIGINT is ignored: it was started in the background by a non-interactive shell)' : '';
  return {
    signal: 'SIGTERM',
    handled: false,
    reason: `no handler for SIGTERM or SIGINT in its caught-signal mask${ignoredInt}: SIGTERM ends it at once, with no cleanup, the same loss as [K]`,
  };
}
