// Commands dp wrote before workflows became skills (.claude/commands/<set>/<name>.md): Claude Code still
// loads them, as `/<set>:<name>` (the folders joined with `:`), beside the skill `/<name>` that replaces
// them, so the two never share a name. What the report says about one that dp takes back or leaves.
import type { PersonaRecord } from '../record.js';

const LEGACY = /^\.claude\/commands\/(.+)\/([^/]+)\.md$/;

interface Replaced {
  invocation: string;
  skill: string;
  skillPath: string;
}

/** The skill this run writes in place of a legacy command file, if it is one. */
function replacedBy(path: string, record: PersonaRecord): Replaced | undefined {
  const match = LEGACY.exec(path);
  if (!match) return undefined;
  const [, set, name] = match as unknown as [string, string, string];
  const skillPath = `.claude/skills/${name}/SKILL.md`;
  if (!(skillPath in record.managed.files)) return undefined;
  return { invocation: `/${set.split('/').join(':')}:${name}`, skill: `/${name}`, skillPath };
}

export function removedDetail(path: string, record: PersonaRecord): string | undefined {
  const replaced = replacedBy(path, record);
  return replaced && `replaced by the skill ${replaced.skill} in ${replaced.skillPath}`;
}

export function keptEditedDetail(path: string, record: PersonaRecord): string {
  const replaced = replacedBy(path, record);
  if (!replaced) return 'you edited it, so it stays (it is yours now)';
  return `you edited it, so it stays and still loads as ${replaced.invocation}; its new version is the skill ${replaced.skill} in ${replaced.skillPath}: move your edits there, then delete this file`;
}
