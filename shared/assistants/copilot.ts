// GitHub Copilot: its instructions come from the persona's AGENTS.md section, which Copilot CLI, its cloud
// agent and VS Code read (Copilot CLI also reads root CLAUDE.md and GEMINI.md, so nothing is written to
// .github/copilot-instructions.md: it would be read a second time). The workflows are skills, read from
// .agents/skills (shared with Codex, the same bytes) or, when Claude Code is targeted, from Claude Code's
// own .claude/skills. A repository cannot carry Copilot's tool permissions. Facts:
// ../shared/research/assistants.md §4.
import { CLAUDE_MD } from '../merge/model.js';
import type { AssistantAdapter } from './adapter.js';
import { type AssistantPlan, envNotExpressed, ownedFile, type PlannedPersonaView } from './assistant-plan.js';
import { AGENTS_MD } from './claude.js';
import { checkSkill } from './file-checks.js';
import { merged, toOutputs, viewOf } from './persona-view.js';
import { renderSkill, skillPath } from './workflow-text.js';

export interface CopilotTargets {
  /** Another targeted assistant's skills, which Copilot reads, carry the workflows already (Codex's, Claude Code's). */
  claudeSkills: boolean;
}

export function planCopilot(persona: PlannedPersonaView, targets: CopilotTargets): AssistantPlan {
  const files = targets.claudeSkills ? [] : persona.workflows.map((workflow) => ownedFile(skillPath(workflow.name), renderSkill(workflow)));
  const { allow, ask, deny } = persona.permissions;
  const cannotExpress: string[] = [];
  if (allow.length + ask.length + deny.length > 0) {
    cannotExpress.push(
      `its ${deny.length} deny, ${ask.length} ask and ${allow.length} allow rule(s) cannot be expressed: a repository cannot carry Copilot's tool permissions (Copilot CLI takes them from --allow-tool/--deny-tool and your user settings)`,
    );
  }
  const userOnly = persona.workflows.filter((w) => w.userOnly).map((w) => w.name);
  if (userOnly.length > 0) cannotExpress.push(`that only you start the workflows ${userOnly.join(', ')} cannot be expressed: Copilot may use a skill on its own when its description fits`);
  cannotExpress.push(...envNotExpressed(persona.env, 'it has no project setting for them'));
  return { files, lists: [], cannotExpress };
}

/** Root instruction files Copilot CLI loads (verified with `copilot instruction list`, 1.0.102). */
const COPILOT_READS = [AGENTS_MD, CLAUDE_MD, 'GEMINI.md', '.github/copilot-instructions.md'];

export const copilotAdapter: AssistantAdapter = {
  id: 'copilot',
  displayName: 'GitHub Copilot',
  detect: ['.github/copilot-instructions.md', '.github/agents', '.github/prompts', '.github/instructions', '.github/skills'],
  requires: ['agents'],
  reads: () => COPILOT_READS,
  plan(personas, { targets }) {
    return merged(
      personas.map((p) => {
        const view = viewOf(p);
        // Codex writes the same skills (same paths, same bytes); Claude Code's own skills, where it writes them, are read too.
        const claudeSkills = targets.has('claude') && view.workflows.length > 0 && view.workflows.every((w) => p.files.some((f) => f.path === `.claude/skills/${w.name}/SKILL.md`));
        return toOutputs(p, planCopilot(view, { claudeSkills: claudeSkills || targets.has('codex') }));
      }),
    );
  },
  check: (path, text) => (/^\.agents\/skills\/[^/]+\/SKILL\.md$/.test(path) ? checkSkill(path, text)[0] ?? null : null),
};
