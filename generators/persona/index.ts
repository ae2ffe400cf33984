// yo dp:persona <id> — apply your own persona, defined in profiles/personas/<id>.json (the seed format:
// {"persona", "display_name", "permissions": {"allow", "block"}, "environment"}), with its commands in
// .claude/commands/sets/<id>/. Built-in ids work too.
import { DpError } from '../../shared/errors.js';
import { CUSTOM_DIR, customPersonaIds } from '../../shared/persona/resolve.js';
import { PersonaGenerator } from '../../shared/yeoman/persona-generator.js';

export default class CustomPersonaGenerator extends PersonaGenerator {
  constructor(args: string[], options: Record<string, unknown>) {
    super(args, options);
    this.argument('name', { type: String, required: false, description: `the persona's id: profiles/personas/<id>.json` });
  }

  protected get personaId(): string {
    const name = this.dpOptions.name as string | undefined;
    if (!name) {
      const found = customPersonaIds(this.destinationRoot());
      const generator = (this.dpOptions.namespace as string | undefined) ?? 'dp:persona';
      throw new DpError(
        `name the persona: yo ${generator} <id>`,
        found.length > 0 ? `personas defined in ${CUSTOM_DIR}/: ${found.join(', ')}` : `define one in ${CUSTOM_DIR}/<id>.json first`,
        2,
      );
    }
    return name;
  }
}
