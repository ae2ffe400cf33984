// How a dp run reaches the disk (Yeoman's customCommitTask). Yeoman's own commit writes each file in
// place, in store order; dp's keeps Yeoman's conflicter (prompts, --dry-run, .yo-resolve), then writes
// with dp's writer: every target checked first (nothing is written if one is a symlink out of the
// repository or read-only), each file to a temporary file renamed into place, the record around
// settings.json (intent.ts) and last.
import { createConflicterTransform, createYoResolveTransform, forceYoFiles } from '@yeoman/conflicter';
import { relative, sep } from 'node:path';
import { Transform } from 'node:stream';
import { clearFileState, isFileNew, isFilePending, isFileStateDeleted, isFileStateModified, setCommittedFile } from 'mem-fs-editor/state';
import type { MemFsEditorFile } from 'mem-fs-editor';
import { commitChanges, type Write } from '../commit/commit.js';
import type { Snapshot } from '../commit/read.js';
import { generatorVersion } from '../package-root.js';

interface CommitEnvironment {
  /** The repository the run writes to (the generator's destination root). */
  root: string;
  /** What the run read from disk and decided from (compare before replace). */
  snapshot: Snapshot;
  adapter: unknown;
  conflicterOptions?: Record<string, unknown>;
  sharedFs: { pipeline(options: { filter: (file: MemFsEditorFile) => boolean }, ...transforms: unknown[]): Promise<void> };
}

function toWrite(root: string, file: MemFsEditorFile): Write {
  // Repository paths use '/' everywhere (the record, the snapshot), also on Windows.
  const path = relative(root, file.path).split(sep).join('/');
  if (!isFileStateModified(file)) return { path, content: null };
  return { path, content: file.contents ?? Buffer.alloc(0), ...(file.stat?.mode ? { mode: file.stat.mode & 0o7777 } : {}) };
}

function atomicCommitTransform(root: string, snapshot: Snapshot): Transform {
  const files: MemFsEditorFile[] = [];
  return new Transform({
    objectMode: true,
    transform(file: MemFsEditorFile, _encoding, callback) {
      files.push(file);
      callback();
    },
    flush(callback) {
      try {
        const pending = files.filter((f) => isFileStateModified(f) || (isFileStateDeleted(f) && !isFileNew(f)));
        const writes = pending.map((f) => toWrite(root, f));
        commitChanges(root, writes, snapshot, generatorVersion());
        for (const file of pending) setCommittedFile(file);
        for (const file of files) {
          clearFileState(file);
          this.push(file);
        }
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}

/**
 * The conflicter's per-file status lines (create, force, identical, skip ...) say again, in Yeoman's words, what
 * dp's own report lists; "force" even for a file that is new or the user's own. dp's run speaks once: these lines
 * are dropped, and everything else (a conflict's name, its prompt, the diffs of --dry-run) is kept.
 */
const STATUS_LINES = new Set(['create', 'force', 'identical', 'skip', 'write', 'ignore']);

type Log = ((...args: unknown[]) => unknown) & Record<string, unknown>;

function quietLog(log: Log): Log {
  return new Proxy(log, { get: (target, key) => (typeof key === 'string' && STATUS_LINES.has(key) ? undefined : Reflect.get(target, key)) });
}

export function quietAdapter<T extends object>(adapter: T): T {
  return new Proxy(adapter, {
    get(target, key) {
      const value = Reflect.get(target, key) as unknown;
      if (key === 'log' && typeof value === 'function') return quietLog(value as Log);
      // A conflict is asked through the queue, which hands the conflicter the adapter to log with.
      if (key === 'queue' && typeof value === 'function') {
        return (task: (inner: object) => unknown) => (value as (t: (inner: object) => unknown) => unknown).call(target, (inner: object) => task(quietAdapter(inner)));
      }
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export function dpCommitTask(env: CommitEnvironment): () => Promise<void> {
  return () =>
    env.sharedFs.pipeline(
      { filter: (file) => isFilePending(file) || file.path.endsWith('.yo-resolve') },
      createYoResolveTransform(),
      forceYoFiles(),
      createConflicterTransform(quietAdapter(env.adapter as object) as never, env.conflicterOptions as never),
      atomicCommitTransform(env.root, env.snapshot),
    );
}
