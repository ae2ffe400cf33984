// The assistants dp writes for, in the order reports list them, and how users name them on the command
// line (`--assistants claude,agents`, `all`). Claude Code alone is the default.
import { UsageError } from '../tools/lib/cli.js';
import type { AssistantAdapter } from './adapter.js';
import { agentsAdapter } from './agents.js';
import { claudeAdapter } from './claude.js';
import { codexAdapter } from './codex.js';
import { copilotAdapter } from './copilot.js';
import { cursorAdapter } from './cursor.js';
import { geminiAdapter } from './gemini.js';

export const ADAPTERS: readonly AssistantAdapter[] = [claudeAdapter, agentsAdapter, codexAdapter, geminiAdapter, copilotAdapter, cursorAdapter];

export const DEFAULT_ASSISTANTS: readonly string[] = ['claude'];

export function adapterFor(id: string): AssistantAdapter | undefined {
  return ADAPTERS.find((a) => a.id === id);
}

export function assistantIds(): string[] {
  return ADAPTERS.map((a) => a.id);
}

export function unknownAssistant(id: string, hint: string): UsageError {
  return new UsageError(`unknown assistant "${id}": this dp writes for ${assistantIds().join(', ')} (or all)`, hint);
}

/** `claude,agents` or `all` -> ids, checked; what each one requires comes with it, in ADAPTERS order. */
export function parseAssistants(text: string, hint: string): string[] {
  const names = text.split(',').map((name) => name.trim().toLowerCase());
  if (names.some((name) => name === '')) throw new UsageError(`--assistants takes a comma-separated list such as claude,agents, got "${text}"`, hint);
  for (const name of names) if (name !== 'all' && !adapterFor(name)) throw unknownAssistant(name, hint);
  return withRequired(names.includes('all') ? assistantIds() : names);
}

/** The ids with what they require, each once, in ADAPTERS order. */
export function withRequired(ids: readonly string[]): string[] {
  const wanted = new Set<string>();
  const add = (id: string) => {
    if (wanted.has(id)) return;
    wanted.add(id);
    for (const required of adapterFor(id)?.requires ?? []) add(required);
  };
  ids.forEach(add);
  return assistantIds().filter((id) => wanted.has(id));
}

/** The assistants that cannot be removed while `id` stays: those that require it. */
export function requiredBy(id: string, targets: readonly string[]): string[] {
  return targets.filter((t) => t !== id && (adapterFor(t)?.requires ?? []).includes(id));
}
