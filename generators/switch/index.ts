// yo dp:switch <id> — make one persona the only active one: the others are removed (taking back exactly
// what they added, keeping what you edited) and this one is applied.
import { PersonaGenerator } from '../../shared/yeoman/persona-generator.js';

export default class SwitchGenerator extends PersonaGenerator {
  static override readonly takesName = true;
  static override readonly exclusive = true;
}
