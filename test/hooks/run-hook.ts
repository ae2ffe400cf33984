// Running a built hook script (dist/hooks/<name>.mjs, the file users get) the way Claude Code does: the
// event's JSON on stdin, stdout and the exit code read back. Payloads carry every field Claude Code
// 2.1.197 sends (../shared/research/claude-code-surfaces.md §3).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export function hookScript(name: string): string {
  return fileURLToPath(new URL(`../../dist/hooks/${name}.mjs`, import.meta.url));
}

export interface HookRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runHookScript(name: string, stdin: string, env: NodeJS.ProcessEnv = {}, cwd?: string): Promise<HookRun> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [hookScript(name)], { env: { ...process.env, ...env }, timeout: 20_000, ...(cwd ? { cwd } : {}) }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin!.end(stdin);
  });
}

/** The PreToolUse input Claude Code writes for a Bash call. */
export function bashPayload(command: string, cwd = process.cwd()): string {
  return JSON.stringify({
    session_id: '5f0c6a52-9a34-4c61-9f0e-2d8a1c7b3e10',
    transcript_path: '/home/user/.claude/projects/-repo/5f0c6a52-9a34-4c61-9f0e-2d8a1c7b3e10.jsonl',
    cwd,
    prompt_id: 'p-1',
    permission_mode: 'default',
    effort: { level: 'medium' },
    hook_event_name: 'PreToolUse',
    tool_name: 'Bash',
    tool_input: { command, description: 'Run the command' },
    tool_use_id: 'toolu_01ABCDEF',
  });
}

/** The PreToolUse input for a file edit (Edit: file_path, old_string, new_string; Write: file_path, content). */
export function editPayload(tool: 'Edit' | 'Write' | 'MultiEdit', input: Record<string, unknown>, cwd = process.cwd()): string {
  return JSON.stringify({
    session_id: '5f0c6a52-9a34-4c61-9f0e-2d8a1c7b3e10',
    transcript_path: '/home/user/.claude/projects/-repo/5f0c6a52.jsonl',
    cwd,
    permission_mode: 'default',
    hook_event_name: 'PreToolUse',
    tool_name: tool,
    tool_input: input,
    tool_use_id: 'toolu_01GHIJKL',
  });
}

/** The decision in a hook's stdout, or null when it said nothing. */
export function decision(run: HookRun): { permissionDecision: string; permissionDecisionReason: string } | null {
  if (run.stdout.trim() === '') return null;
  const out = JSON.parse(run.stdout) as { hookSpecificOutput: { hookEventName: string; permissionDecision: string; permissionDecisionReason: string } };
  if (out.hookSpecificOutput.hookEventName !== 'PreToolUse') throw new Error(`unexpected output ${run.stdout}`);
  return out.hookSpecificOutput;
}
