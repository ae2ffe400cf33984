// yo dp:developer — asks the skill level (beginner, l1, l2, expert; --level), then writes that level's
// /dev-* commands, its CLAUDE.md guidance and its guardrails (permissions) on top of the shared deny rules.
import { PersonaGenerator } from '../../shared/yeoman/persona-generator.js';

export default class DeveloperGenerator extends PersonaGenerator {
  protected override readonly personaId = 'developer';
}
