// Where a hook or the status line notes an internal error: a per-user file in the user's state directory
// ($XDG_STATE_HOME or ~/.local/state), in a 0700 folder, opened without following a link. Never a fixed
// name in a shared temp directory, and never an error in the user's session.
import { closeSync, lstatSync, mkdirSync, openSync, constants, fstatSync, ftruncateSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The folder for dp's per-user state (the status line's GPU snapshot too). */
function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(base, 'generator-dp');
}

/**
 * The state folder, created 0700 when missing, and used only while it is private: a real folder (not a link),
 * the user's own, that no one else can write to (XDG_STATE_HOME may point at a shared place).
 */
export function privateStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = stateDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  const uid = process.getuid?.();
  if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid) || (stat.mode & 0o022) !== 0) {
    throw new Error(`${dir} is not a private folder of this user (a link, another owner, or writable by others); not used`);
  }
  return dir;
}

/** The log is cut back to nothing when it grows past this. */
const MAX_LOG_BYTES = 256 * 1024;

export function privateLog(name: string, error: unknown): void {
  try {
    const dir = privateStateDir();
    const fd = openSync(join(dir, 'hooks.log'), constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_NOFOLLOW, 0o600);
    try {
      if (fstatSync(fd).size > MAX_LOG_BYTES) ftruncateSync(fd, 0);
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      writeSync(fd, `${new Date().toISOString()} ${name}: ${message}\n`);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Nowhere to log: the session goes on regardless.
  }
}
