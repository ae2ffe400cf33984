// AGENTS.md, the cross-tool instruction file (Codex, Cursor, Copilot, and Claude Code through CLAUDE.md's
// import): one section per persona, its instructions as planned. Codex reads at most 32 KiB of AGENTS.md
// files in all (project_doc_max_bytes) and drops the rest silently, so the run warns past it.
import type { AssistantAdapter } from './adapter.js';
import { AGENTS_MD } from './claude.js';

/** Codex's default project_doc_max_bytes (developers.openai.com/codex/guides/agents-md). */
export const CODEX_AGENTS_MD_BYTES = 32 * 1024;

export const agentsAdapter: AssistantAdapter = {
  id: 'agents',
  displayName: 'AGENTS.md',
  detect: [AGENTS_MD],
  reads: () => [AGENTS_MD],
  plan(personas) {
    return {
      sections: personas.map((p) => ({ file: AGENTS_MD, id: p.id, owner: `the ${p.displayName} persona`, body: p.section })),
      files: [],
      lists: [],
      cannotExpress: personas.flatMap((p) => {
        const rules = p.permissions.allow.length + p.permissions.ask.length + p.permissions.deny.length;
        const lines = [];
        if (rules > 0) lines.push({ persona: p.id, text: `its ${rules} permission rules cannot be expressed in AGENTS.md: it holds instructions only (each assistant's own adapter writes its permissions)` });
        if (Object.keys(p.env).length > 0) lines.push({ persona: p.id, text: `its environment variables (${Object.keys(p.env).join(', ')}) cannot be expressed in AGENTS.md: it holds instructions only` });
        return lines;
      }),
    };
  },
  limits: [{ file: AGENTS_MD, bytes: CODEX_AGENTS_MD_BYTES, consequence: 'Codex reads only the first 32 KiB of AGENTS.md files (project_doc_max_bytes) and drops the rest without a word' }],
};
