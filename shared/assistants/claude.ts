// Claude Code: the persona as planned (shared/plan) is its own; this adapter places the persona's
// instruction section. Alone, each persona has a section in CLAUDE.md. With AGENTS.md targeted too, the
// section is written once, in AGENTS.md, and CLAUDE.md imports it: Copilot CLI loads both files, and must
// not read one persona twice.
//
// Claude Code reads AGENTS.md only where no CLAUDE.md exists, so a CLAUDE.md dp creates would take the
// team's AGENTS.md out of its context. CLAUDE.md imports AGENTS.md (a section of its own, `@AGENTS.md`)
// when an AGENTS.md is there and:
//   - the CLAUDE.md is dp's (nothing outside dp's sections, or nothing was when dp put the import there), or
//   - dp writes the personas' sections into AGENTS.md (without the import Claude Code would not see them).
// A CLAUDE.md of the user's that does not import AGENTS.md already keeps it out of Claude Code's context:
// that is their choice, and dp's section does not change it, so dp leaves it. Nor is a second import added
// where the user's text imports AGENTS.md already.
import { CLAUDE_MD, type DesiredPersona } from '../merge/model.js';
import { parseSections } from '../merge/sections.js';
import type { AssistantAdapter, PlanContext, PlannedSection } from './adapter.js';

export const AGENTS_MD = 'AGENTS.md';
/** The import's section id: upper-case, so no persona id can take it. */
export const AGENTS_IMPORT_ID = 'import-AGENTS.md';
const AGENTS_IMPORT = '@AGENTS.md\n';
/** An import of AGENTS.md anywhere in the user's text: `@AGENTS.md` or `@./AGENTS.md`. */
const USER_IMPORT = /(^|\s)@(\.\/)?AGENTS\.md(?![\w.-])/m;

export const claudeAdapter: AssistantAdapter = {
  id: 'claude',
  displayName: 'Claude Code',
  detect: [CLAUDE_MD, '.claude'],
  reads: () => [CLAUDE_MD, AGENTS_MD],
  plan(personas, context) {
    const inAgentsMd = context.targets.has('agents');
    const sections: PlannedSection[] = [];
    const agentsImport = importSection(personas, context, inAgentsMd);
    if (agentsImport) sections.push(agentsImport);
    if (!inAgentsMd) for (const p of personas) sections.push({ file: CLAUDE_MD, id: p.id, owner: `the ${p.displayName} persona`, body: p.section });
    return { sections, files: [], lists: [], cannotExpress: [] };
  },
};

/** The import section, when CLAUDE.md should import AGENTS.md (see the top of this file). */
function importSection(personas: DesiredPersona[], { read, previous }: PlanContext, inAgentsMd: boolean): PlannedSection | null {
  if (personas.length === 0 || (!inAgentsMd && read(AGENTS_MD) === null)) return null;
  const claude = read(CLAUDE_MD);
  const users = claude === null ? '' : outsideSections(claude);
  if (USER_IMPORT.test(users)) return null;
  const before = Object.values(previous.managed.sections).find((s) => s.file === CLAUDE_MD && s.persona === AGENTS_IMPORT_ID);
  // A CLAUDE.md that was dp's when the import went in stays imported once the user writes into it.
  const fileWasDps = users.trim() === '' || (before?.fileWasDps ?? false);
  if (!inAgentsMd && !fileWasDps) return null;
  return { file: CLAUDE_MD, id: AGENTS_IMPORT_ID, owner: 'the AGENTS.md import', body: AGENTS_IMPORT, ...(fileWasDps ? { fileWasDps } : {}) };
}

/** The user's text: everything outside dp's sections. */
function outsideSections(text: string): string {
  let users = '';
  let offset = 0;
  for (const span of parseSections(text, CLAUDE_MD)) {
    users += text.slice(offset, span.start);
    offset = span.end;
  }
  return users + text.slice(offset);
}
