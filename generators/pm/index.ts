// yo dp:pm — the /generate-prd, /user-stories, /acceptance-criteria and /generate-release-notes commands,
// a Product Manager section in CLAUDE.md and read-only git permissions.
import { PersonaGenerator } from '../../shared/yeoman/persona-generator.js';

export default class ProductManagerGenerator extends PersonaGenerator {
  protected override readonly personaId = 'pm';
}
