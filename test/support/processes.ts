// Real processes a test starts and must not leave behind: each started through `startTracked` is killed
// by the test file's afterEach (with `killTracked`); `waitFor` polls until a condition holds (up to 5 s).
import { spawn, type ChildProcess } from 'node:child_process';

export function startTracked(children: ChildProcess[], command: string, args: string[], options: Parameters<typeof spawn>[2] = {}): ChildProcess {
  const child = spawn(command, args, { stdio: 'ignore', ...options });
  children.push(child);
  return child;
}

export async function waitFor(check: () => boolean): Promise<boolean> {
  for (let i = 0; i < 500 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  return check();
}
