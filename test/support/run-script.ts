// Running a built tool (dist/scripts/<script>.mjs, the file users get) to completion.
import { spawn } from 'node:child_process';

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `script` with node; killed after timeoutMs as a safety net (a test then fails on its output). */
export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 20_000): Promise<ScriptRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { env: { ...env, NO_COLOR: env.NO_COLOR ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
