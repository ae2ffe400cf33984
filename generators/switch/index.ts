// yo dp:switch <id> — make one persona the only active one: the others are removed (taking back exactly
// what they added, keeping what you edited) and this one is applied.
import CustomPersonaGenerator from '../persona/index.js';

export default class SwitchGenerator extends CustomPersonaGenerator {
  protected override readonly exclusive = true;
}
