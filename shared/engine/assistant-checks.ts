// Whether each targeted assistant can still load the files dp wrote for it, in the file's own format (a
// Gemini command TOML that no longer parses, a Cursor rule whose frontmatter was broken by hand): the
// adapters' checks (shared/assistants), over every file the record names, for dp status and dp doctor.
import { diskReader } from '../commit/read.js';
import { DpError } from '../errors.js';
import { recordedTargets } from '../assistants/plan.js';
import { adapterFor } from '../assistants/registry.js';
import { checkJson } from '../merge/outputs/json-lists.js';
import type { PersonaRecord } from '../merge/record.js';

export function assistantFileProblems(root: string, record: PersonaRecord): string[] {
  const read = diskReader(root);
  const adapters = recordedTargets(record).map((id) => adapterFor(id)!);
  const paths = [...new Set([...Object.keys(record.managed.files), ...Object.values(record.managed.sections).map((s) => s.file)])];
  const problems: string[] = [];
  for (const path of paths) {
    const text = read(path);
    if (text === null) continue;
    for (const adapter of adapters) {
      const problem = adapter.check?.(path, text);
      if (problem) problems.push(`${path}: ${problem} (${adapter.displayName} may not load it)`);
    }
  }
  for (const path of Object.keys(record.managed.lists ?? {})) {
    const text = read(path);
    if (text === null) continue;
    try {
      checkJson(path, text);
    } catch (error) {
      if (!(error instanceof DpError)) throw error;
      problems.push(error.message);
    }
  }
  return problems;
}
