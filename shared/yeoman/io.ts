// The bridge between the pure merge and Yeoman's in-memory file system (mem-fs), so that generators
// composed in one run see each other's writes, and Yeoman commits everything at the end.
import { existsSync } from 'node:fs';
import type Generator from 'yeoman-generator';
import type { Change, Reader } from '../merge/apply.js';

type MemFsFile = { conflicter?: string };

/** Read repository files through mem-fs (pending writes of this run included). */
export function memFsReader(generator: Generator): Reader {
  return (path) => {
    const full = generator.destinationPath(path);
    return generator.fs.exists(full) ? generator.fs.read(full) ?? null : null;
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
    const file = (generator.env as unknown as { sharedFs: { get(path: string): MemFsFile } }).sharedFs.get(full);
    file.conflicter = 'force';
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
