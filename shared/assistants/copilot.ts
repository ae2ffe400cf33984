// GitHub Copilot: its instructions come from the persona's AGENTS.md section, which Copilot CLI, its cloud
// agent and VS Code read (Copilot CLI also reads root CLAUDE.md and GEMINI.md, so nothing is written to
// .github/copilot-instructions.md: it would be read a second time). The workflows are skills, read from
// .agents/skills (shared with Codex, the same bytes) or, when Claude Code is targeted, from Claude Code's
// own .claude/skills. A repository cannot carry Copilot's tool permissions. Facts:
// ../shared/research/assistants.md §4.
import { type AssistantPlan, envNotExpressed, ownedFile, type PlannedPersonaView } from './assistant-plan.js';
import { renderSkill, skillPath } from './workflow-text.js';

export interface CopilotTargets {
  /** Claude Code is targeted too: its .claude/skills, which Copilot reads, carry the workflows already. */
  claudeSkills: boolean;
}

export function planCopilot(persona: PlannedPersonaView, targets: CopilotTargets): AssistantPlan {
  const files = targets.claudeSkills ? [] : persona.workflows.map((workflow) => ownedFile(skillPath(workflow.name), renderSkill(workflow)));
  const { allow, ask, deny } = persona.permissions;
  const cannotExpress: string[] = [];
  if (allow.length + ask.length + deny.length > 0) {
    cannotExpress.push(
      `GitHub Copilot: a repository cannot carry tool permissions (Copilot CLI takes them from --allow-tool/--deny-tool and your user settings): ${deny.length} deny, ${ask.length} ask and ${allow.length} allow rule(s) not written`,
    );
  }
  cannotExpress.push(...envNotExpressed('GitHub Copilot', persona.env, 'it has no project setting for them'));
  return { files, lists: [], cannotExpress };
}
