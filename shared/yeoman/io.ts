// The bridge between the pure merge and Yeoman's in-memory file system (mem-fs), so that generators
// composed in one run see each other's writes, and Yeoman commits everything at the end.
import { existsSync } from 'node:fs';
import { isFilePending, isFileStateDeleted } from 'mem-fs-editor/state';
import type { MemFsEditorFile } from 'mem-fs-editor';
import type Generator from 'yeoman-generator';
import type { Change, Reader } from '../merge/model.js';
import { diskReader, type Snapshot } from '../commit/read.js';

type MemFsFile = MemFsEditorFile & { conflicter?: string };
type SharedFs = { existsInMemory(path: string): boolean; get(path: string): MemFsFile };

function sharedFs(generator: Generator): SharedFs {
  return (generator.env as unknown as { sharedFs: SharedFs }).sharedFs;
}

/** What this run read from disk, shared by every dp generator of the run (the commit checks it). */
const snapshots = new WeakMap<object, Snapshot>();

export function runSnapshot(env: object): Snapshot {
  let snapshot = snapshots.get(env);
  if (!snapshot) snapshots.set(env, (snapshot = new Map()));
  return snapshot;
}

/**
 * Read repository files as this run sees them: this run's pending writes (composed generators see each
 * other's), else the disk as it is now. mem-fs caches a file from its first read, which may predate the
 * lock; the disk is read fresh (and strictly as UTF-8), and what it held is kept in the run's snapshot.
 */
export function memFsReader(generator: Generator): Reader {
  const fromDisk = diskReader(generator.destinationRoot(), runSnapshot(generator.env));
  return (path) => {
    const full = generator.destinationPath(path);
    const onDisk = fromDisk(path);
    if (!sharedFs(generator).existsInMemory(full)) return onDisk;
    const file = sharedFs(generator).get(full);
    if (!isFilePending(file)) return onDisk;
    return isFileStateDeleted(file) || !file.contents ? null : file.contents.toString('utf8');
  };
}

/**
 * Queue the changes in mem-fs. dp has already merged them against the disk, so Yeoman's conflicter
 * is told to write them as they are ('force'), except changes the user should decide ('prompt').
 */
export function queueChanges(generator: Generator, changes: Change[]): void {
  for (const change of changes) {
    const full = generator.destinationPath(change.path);
    if (change.content === null) {
      generator.fs.delete(full);
    } else {
      const options = change.executable ? { stat: { mode: 0o755 } as unknown as import('node:fs').Stats } : {};
      generator.fs.write(full, change.content, options);
    }
    // New files need no decision (Yeoman reports them as "create"); existing ones were merged by dp.
    if (change.prompt || !existsSync(full)) continue;
    sharedFs(generator).get(full).conflicter = 'force';
  }
}

function usesTerminalAdapter(generator: Generator): boolean {
  const adapter = generator.env.adapter as unknown as { actualAdapter?: object };
  return (adapter.actualAdapter ?? adapter).constructor.name === 'TerminalAdapter';
}

/** A person at a terminal is answering (not a script, a pipe or a test adapter). */
export function onTerminal(generator: Generator): boolean {
  return usesTerminalAdapter(generator) && process.stdin.isTTY === true && process.stdout.isTTY === true;
}

/** Whether a question can be asked: a person at a terminal, or an adapter that answers (tests, other front ends). */
export function canPrompt(generator: Generator): boolean {
  return !usesTerminalAdapter(generator) || onTerminal(generator);
}
