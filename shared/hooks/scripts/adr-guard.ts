// PreToolUse hook on Edit|Write|MultiEdit (software architect): an accepted Architecture Decision Record is
// not rewritten; a changed decision is a new ADR that supersedes it (docs/adr/0001). Editing an accepted
// ADR asks, unless the edit only changes its Status (to "Superseded by ..." or "Deprecated").
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ask, runHook, type HookInput } from '../lib/run-hook.js';

/** An ADR file: NNNN-title.md in a folder named adr, adrs or decisions. */
const ADR_PATH = /(^|\/)(adr|adrs|decisions)\/\d{3,4}-[^/]+\.md$/i;

interface StatusSection {
  start: number;
  end: number;
  text: string;
}

/** The `## Status` section (heading to the next heading), or a `Status: X` line. */
function statusSection(text: string): StatusSection | null {
  const heading = /^##[ \t]+Status[ \t]*$/im.exec(text);
  if (heading) {
    const next = text.slice(heading.index + heading[0].length).search(/^#{1,2}[ \t]/m);
    const end = next === -1 ? text.length : heading.index + heading[0].length + next;
    return { start: heading.index, end, text: text.slice(heading.index, end) };
  }
  const line = /^Status:[^\n]*$/im.exec(text);
  return line ? { start: line.index, end: line.index + line[0].length, text: line[0] } : null;
}

/** Accepted: the first words of the status, outside HTML comments. */
function isAccepted(section: StatusSection): boolean {
  const words = section.text.replace(/<!--[\s\S]*?-->/g, '').replace(/^##[ \t]+Status|^Status:/i, '');
  return /^\s*\**accepted\b/i.test(words);
}

const RETIRES = /superseded|deprecated/i;

/** Whether replacing `oldText` with `newText` in `file` only retires the ADR in its status. */
function onlyRetires(file: string, section: StatusSection, edits: Array<{ old: string; new: string }>): boolean {
  return edits.every((edit) => {
    const at = edit.old === '' ? -1 : file.indexOf(edit.old);
    return at >= section.start && at + edit.old.length <= section.end && RETIRES.test(edit.new);
  });
}

function withoutStatus(text: string): string {
  const section = statusSection(text);
  return section ? text.slice(0, section.start) + text.slice(section.end) : text;
}

function decide(input: HookInput) {
  const tool = input.tool_name;
  const args = input.tool_input ?? {};
  const path = args.file_path;
  if (typeof path !== 'string' || !['Edit', 'Write', 'MultiEdit'].includes(tool ?? '') || !ADR_PATH.test(path.replace(/\\/g, '/'))) return null;
  const full = isAbsolute(path) ? path : join(typeof input.cwd === 'string' ? input.cwd : process.cwd(), path);
  let current: string;
  try {
    current = readFileSync(full, 'utf8');
  } catch {
    return null; // a new ADR
  }
  const section = statusSection(current);
  if (!section || !isAccepted(section)) return null;
  if (tool === 'Write') {
    const next = typeof args.content === 'string' ? args.content : '';
    const nextStatus = statusSection(next);
    if (withoutStatus(next) === withoutStatus(current) && nextStatus && RETIRES.test(nextStatus.text)) return null;
  } else {
    const edits =
      tool === 'Edit'
        ? [{ old: String(args.old_string ?? ''), new: String(args.new_string ?? '') }]
        : (Array.isArray(args.edits) ? (args.edits as Array<Record<string, unknown>>) : []).map((e) => ({ old: String(e.old_string ?? ''), new: String(e.new_string ?? '') }));
    if (edits.length > 0 && onlyRetires(current, section, edits)) return null;
  }
  return ask(
    `${path} is an accepted ADR: the decision is on record and is not rewritten. To change it, write a new ADR that supersedes it (/adr-new, or copy docs/adr/0000-template.md) and set this one's Status to "Superseded by [NNNN](NNNN-title.md)". Fixing a typo? Then allow this edit.`,
  );
}

await runHook('adr-guard', decide);
