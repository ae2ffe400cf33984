// The edge every hook script shares. Claude Code writes one JSON object to the hook's stdin and reads its
// stdout (../shared/research/claude-code-surfaces.md §3); a hook must never break the session it guards:
// any internal error means no decision (exit 0, nothing on stdout), and the error goes to a private log.
import { privateLog } from './private-log.js';

/** The fields of Claude Code's hook input that dp's hooks read. */
export interface HookInput {
  hook_event_name?: string;
  cwd?: string;
  tool_name?: string;
  tool_input?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A PreToolUse answer: `ask` makes Claude Code ask the user, with the reason shown. */
export interface PreToolUseAnswer {
  hookSpecificOutput: { hookEventName: 'PreToolUse'; permissionDecision: 'ask'; permissionDecisionReason: string };
}

export function ask(reason: string): PreToolUseAnswer {
  return { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'ask', permissionDecisionReason: reason } };
}

/** More than any tool input Claude Code sends; a bigger stdin is not read further. */
const MAX_INPUT_BYTES = 4 * 1024 * 1024;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > MAX_INPUT_BYTES) throw new Error(`hook input larger than ${MAX_INPUT_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Run a hook: read its input, print its answer (null: stay silent), exit 0 whatever happens. */
export async function runHook(name: string, decide: (input: HookInput) => Promise<object | null> | object | null): Promise<void> {
  try {
    const input = JSON.parse(await readStdin()) as HookInput;
    const answer = typeof input === 'object' && input !== null ? await decide(input) : null;
    if (answer) process.stdout.write(`${JSON.stringify(answer)}\n`);
  } catch (error) {
    privateLog(name, error);
  }
  process.exitCode = 0;
}
