// yo dp:software-architect — the analyze_architecture tool, the /architecture-review, /performance-audit
// and /adr-new commands, the ADR template and first ADR, a CLAUDE.md section and permissions.
import { PersonaGenerator } from '../../shared/yeoman/persona-generator.js';

export default class SoftwareArchitectGenerator extends PersonaGenerator {
  protected override readonly personaId = 'software-architect';
}
