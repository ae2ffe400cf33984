// yo dp:persona <id> — apply your own persona, defined in profiles/personas/<id>.json (the seed format:
// {"persona", "display_name", "permissions": {"allow", "block"}, "environment"}), with its commands in
// .claude/commands/sets/<id>/ (<name>.md or <name>/SKILL.md) or kept as skills. Built-in ids work too.
import { PersonaGenerator } from '../../shared/yeoman/persona-generator.js';

export default class CustomPersonaGenerator extends PersonaGenerator {
  static override readonly takesName = true;
}
