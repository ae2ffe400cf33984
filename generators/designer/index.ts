// yo dp:designer — the /mock-screen, /design-system, /accessibility-audit (WCAG 2.2 AA) and /component-spec
// commands, a Designer section in CLAUDE.md and permissions.
import { PersonaGenerator } from '../../shared/yeoman/persona-generator.js';

export default class DesignerGenerator extends PersonaGenerator {
  protected override readonly personaId = 'designer';
}
