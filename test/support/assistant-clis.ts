// Running the assistants' own CLIs (pinned dev dependencies) offline, without login: each in a private
// HOME with only PATH passed on, against a repository the test wrote. Facts and commands:
// ../shared/research/assistants.md §8.
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { withRequired } from '../../shared/assistants/registry.js';
import { applyPersonas } from '../../shared/merge/apply.js';
import type { DesiredPersona } from '../../shared/merge/model.js';
import { loadBuiltinPersona } from '../../shared/persona/load.js';
import { builtinMenu } from '../../shared/persona/registry.js';
import { planPersona } from '../../shared/plan/plan.js';

const binDir = fileURLToPath(new URL('../../node_modules/.bin', import.meta.url));

export type Cli = 'codex' | 'gemini' | 'copilot';

/** Why the CLI cannot run here, or null when it can: its npm package and platform binary must be installed. */
export function whyNotRunnable(cli: Cli): string | null {
  if (process.platform !== 'linux' || process.arch !== 'x64') return `${cli}'s tests run on linux-x64, where its pinned platform package is installed (this is ${process.platform}-${process.arch})`;
  return existsSync(join(binDir, cli)) ? null : `${cli} is not installed: npm ci installs the pinned dev dependency`;
}

export interface Sandbox {
  home: string;
  repo: string;
  write(path: string, content: string): void;
  run(cli: Cli, args: string[], options?: { env?: Record<string, string>; timeoutMs?: number }): Promise<{ exitCode: number | undefined; stdout: string; stderr: string; timedOut: boolean }>;
}

/** A fresh private HOME and git repository, removed after the test. */
export function useSandbox(): () => Sandbox {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const root = mkdtempSync(join(tmpdir(), 'dp-assistant-'));
    dirs.push(root);
    const home = join(root, 'home');
    const repo = join(root, 'repo');
    mkdirSync(join(home, '.codex'), { recursive: true });
    mkdirSync(repo);
    execFileSync('git', ['init', '-q', repo]);
    const write = (path: string, content: string) => {
      mkdirSync(dirname(join(repo, path)), { recursive: true });
      writeFileSync(join(repo, path), content);
    };
    const run: Sandbox['run'] = async (cli, args, options = {}) => {
      const result = await execa(join(binDir, cli), args, {
        cwd: repo,
        reject: false,
        stdin: 'ignore',
        timeout: options.timeoutMs ?? 60_000,
        extendEnv: false,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, CODEX_HOME: join(home, '.codex'), NO_COLOR: '1', ...options.env },
      });
      return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr), timedOut: result.timedOut };
    };
    return { home, repo, write, run };
  };
}

/**
 * The repository as dp leaves it: every built-in persona (at its last level) applied through the merge for
 * these assistants, over the user's files; the files written into the sandbox's repository.
 */
export function applyBuiltins(box: Sandbox, assistants: string[], userFiles: Record<string, string>): DesiredPersona[] {
  const personas = builtinMenu().map((entry) => {
    const persona = loadBuiltinPersona(entry.id);
    const level = persona.levels ? Object.keys(persona.levels).at(-1) : undefined;
    return planPersona(persona, level ? { level } : {});
  });
  // As --assistants does: what each assistant reads comes with it (AGENTS.md for all four).
  const result = applyPersonas((path) => userFiles[path] ?? null, personas, { version: '1.0.0', onConflict: 'keep', assistants: withRequired(assistants) });
  for (const [path, content] of Object.entries(userFiles)) box.write(path, content);
  for (const change of result.changes) if (change.content !== null) box.write(change.path, change.content);
  return personas;
}

/** A section's first line of text: what shows that an assistant loaded it (some drop HTML comments such as dp's markers). */
export function firstLine(section: string): string {
  return section.split('\n').find((line) => line.trim() !== '')!;
}
