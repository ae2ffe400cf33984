// The processes analyze_process_impact never signals, checked for every process an action would signal, before the
// first signal: init (PID 1, and the init of this tool's PID namespace), kernel threads, this tool, its parents and
// its session leader, and (without --other-user) another user's processes. Facts: impact.md §1 (/proc fields).
import { readlinkSync } from 'node:fs';
import { DpError } from '../lib/cli.js';
import { commandString, isKernelThread, readProcess, readStatus, userName, type ProcEntry } from '../lib/proc.js';
import type { ActionName, Identity } from './types.js';

/** Why a process may not be signalled; `system` ones are refused whoever runs the tool, and have no useful tree. */
export interface Protection {
  /** A clause after "it" / "its descendant PID N", e.g. "is a kernel thread ([kthreadd]): ...". */
  reason: string;
  hint: string;
  system: boolean;
}

const name = (entry: ProcEntry) => commandString(entry.cmdline.slice(0, 1), entry.comm);
const ELSEWHERE = 'signal the process you mean by its own PID';

/**
 * This tool as the /proc it reads numbers it: /proc/self, not process.pid, which is the PID in the tool's own
 * namespace (they differ when a container sees the host's /proc).
 */
function selfPid(root: string): number {
  try {
    return Number(readlinkSync(`${root}/self`));
  } catch {
    return process.pid;
  }
}

/**
 * What this run stands on: itself, every parent up to PID 1, and its session leader. Among the parents, the one whose
 * NSpid ends in 1 is the init of the tool's PID namespace (every process of a namespace descends from its init,
 * orphans included, so it is always a parent; NSpid is in /proc/PID/status since Linux 4.1).
 */
export function ownProcesses(root = '/proc'): Map<number, Protection> {
  const own = new Map<number, Protection>();
  const self = readProcess(selfPid(root), root);
  if (!self) return own;
  own.set(self.pid, { reason: 'is this tool itself', hint: ELSEWHERE, system: false });
  for (let entry = readProcess(self.ppid, root); entry && !own.has(entry.pid); entry = entry.ppid > 0 ? readProcess(entry.ppid, root) : null) {
    const nspid = readStatus(entry.pid, root)?.nspid ?? [];
    const init = entry.pid !== 1 && nspid.length > 1 && nspid[nspid.length - 1] === 1;
    own.set(
      entry.pid,
      init
        ? { reason: `is the init process of this tool's PID namespace (${name(entry)}, PID 1 inside it): stopping it stops every process in the container`, hint: ELSEWHERE, system: true }
        : { reason: `is a parent of this tool (${name(entry)}): stopping it stops this tool too`, hint: 'run the tool from another terminal', system: false },
    );
  }
  const leader = self.session > 0 && !own.has(self.session) ? readProcess(self.session, root) : null;
  if (leader) {
    own.set(leader.pid, { reason: `leads this tool's session (${name(leader)}): its terminal would hang up and stop this tool too`, hint: 'run the tool from another terminal', system: false });
  }
  return own;
}

/** Init and kernel threads: refused whoever runs the tool. Our namespace's init is found among `own`. */
export function systemProtection(entry: ProcEntry, own: Map<number, Protection>): Protection | null {
  if (entry.pid === 1) {
    return { reason: 'is the init process: every other process descends from it, and stopping it stops the machine (or the container)', hint: ELSEWHERE, system: true };
  }
  if (isKernelThread(entry)) return { reason: `is a kernel thread ([${entry.comm}]): the kernel runs it, it is no program to stop`, hint: ELSEWHERE, system: true };
  const mine = own.get(entry.pid);
  return mine?.system ? mine : null;
}

function otherUser(pid: number, root: string): Protection | null {
  const uid = readStatus(pid, root)?.uids?.[0];
  const ours = process.getuid?.();
  if (uid === undefined || ours === undefined || uid === ours) return null;
  const who = (id: number) => `${userName(id) ?? 'uid'} (uid ${id})`;
  return { reason: `belongs to ${who(uid)}, not to you (${who(ours)})`, hint: "add --other-user to act on another user's process", system: false };
}

/**
 * Throw before any signal when `action` would signal a protected process: graceful signals the first identity only,
 * suspend and kill all of them. A process that exited or whose PID was reused is left to signalIdentities.
 */
export function assertMaySignal(action: ActionName, identities: Identity[], { root = '/proc', otherUsers = false } = {}): void {
  if (action === 'wait' || identities.length === 0) return;
  // kill() takes PIDs of the tool's own namespace: when /proc belongs to another one (a container seeing the host's
  // /proc), its PIDs name other processes. This is also the only case where this namespace's init is not PID 1 here.
  const seen = selfPid(root);
  if (seen !== process.pid) {
    throw new DpError(
      `refusing to signal anything: ${root} belongs to another PID namespace (it numbers this tool ${seen}, its own PID is ${process.pid}), so a PID read there would signal a different process`,
      `nothing was signalled; run the tool where ${root} is mounted for its own PID namespace`,
    );
  }
  const own = ownProcesses(root);
  const [target, ...rest] = action === 'graceful' ? identities.slice(0, 1) : identities;
  for (const identity of [target!, ...rest]) {
    const entry = readProcess(identity.pid, root);
    if (!entry || entry.startTicks !== identity.startTicks) continue;
    const protection = systemProtection(entry, own) ?? own.get(entry.pid) ?? (otherUsers ? null : otherUser(entry.pid, root));
    if (!protection) continue;
    const message =
      identity === target
        ? `refusing to signal PID ${entry.pid}: it ${protection.reason}`
        : `refusing to ${action} PID ${target!.pid}: its descendant PID ${entry.pid} ${protection.reason}`;
    throw new DpError(message, `nothing was signalled; ${protection.hint}`);
  }
}
