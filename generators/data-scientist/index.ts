// yo dp:data-scientist — GPU monitor, process-impact analyzer and parallel optimizer, the /gpu-optimize,
// /parallel-explain and /process-impact commands, a CLAUDE.md section, permissions and env.
import { PersonaGenerator } from '../../shared/yeoman/persona-generator.js';

export default class DataScientistGenerator extends PersonaGenerator {
  protected override readonly personaId = 'data-scientist';
}
