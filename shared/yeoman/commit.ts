// How a dp run reaches the disk (Yeoman's customCommitTask). Yeoman's own commit writes each file in
// place, in store order; dp's keeps Yeoman's conflicter (prompts, --dry-run, .yo-resolve) and then:
// checks every target first (nothing is written if one is a symlink out of the repository or read-only),
// writes each file to a temporary file renamed into place, and writes .claude/persona.json last.
import { createConflicterTransform, createYoResolveTransform, forceYoFiles } from '@yeoman/conflicter';
import { rmSync } from 'node:fs';
import { relative } from 'node:path';
import { Transform } from 'node:stream';
import { clearFileState, isFileNew, isFilePending, isFileStateDeleted, isFileStateModified, setCommittedFile } from 'mem-fs-editor/state';
import type { MemFsEditorFile } from 'mem-fs-editor';
import { writeFileAtomically } from '../merge/disk.js';
import { preflight, resolveTarget } from '../merge/preflight.js';
import { RECORD_PATH } from '../merge/record.js';

interface CommitEnvironment {
  /** The repository the run writes to (the generator's destination root). */
  root: string;
  adapter: unknown;
  conflicterOptions?: Record<string, unknown>;
  sharedFs: { pipeline(options: { filter: (file: MemFsEditorFile) => boolean }, ...transforms: unknown[]): Promise<void> };
}

function atomicCommitTransform(root: string): Transform {
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
        const rel = (f: MemFsEditorFile) => relative(root, f.path);
        pending.sort((a, b) => Number(rel(a) === RECORD_PATH) - Number(rel(b) === RECORD_PATH));
        preflight(root, pending.map((f) => ({ path: rel(f), content: isFileStateModified(f) ? '' : null })));
        for (const file of pending) {
          const target = resolveTarget(root, rel(file));
          if (isFileStateModified(file)) writeFileAtomically(target, file.contents ?? Buffer.alloc(0), file.stat?.mode ?? undefined);
          else rmSync(target, { recursive: true, force: true });
          setCommittedFile(file);
        }
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

export function dpCommitTask(env: CommitEnvironment): () => Promise<void> {
  return () =>
    env.sharedFs.pipeline(
      { filter: (file) => isFilePending(file) || file.path.endsWith('.yo-resolve') },
      createYoResolveTransform(),
      forceYoFiles(),
      createConflicterTransform(env.adapter as never, env.conflicterOptions as never),
      atomicCommitTransform(env.root),
    );
}
