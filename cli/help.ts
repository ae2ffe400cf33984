// Help texts, one per command: what it does, its options, an example. The personas they name (the
// list, the menu, the examples, the one with skill levels) come from the persona folders.
import { menuChoices } from '../shared/persona/menu.js';
import { builtinMenu, type MenuEntry } from '../shared/persona/registry.js';
import { examplePersonas, levelledPersonas } from '../shared/persona/wording.js';
import { ADAPTERS, assistantIds } from '../shared/assistants/registry.js';
import { words, wrap } from './wrap.js';

const WRITE_OPTIONS = `  -n, --dry-run             show the changes (as diffs) and write nothing
  -y, --yes                 answer confirmations with yes
      --on-conflict <how>   keep (yours stays, the new version goes to <file>.dp-new) or markers
                            (git-style conflict markers); on a terminal dp asks when a conflict
                            happens
  -C, --cwd <dir>           the repository (default: the current directory, or the nearest parent
                            with .claude/persona.json, .yo-rc.json or .git)`;

const ASSISTANTS_OPTION = wrap('      --assistants <ids>    ', words(`the assistants to write for: ${assistantIds().join(',')} or all (default: those chosen before, else claude); kept for later runs, changed with dp assistants`), ' '.repeat(28));

/** The help texts for these personas (this package's own, or a test's). */
export function helpTexts(menu: readonly MenuEntry[]): Record<string, string> {
  const [first, second, third, fourth] = examplePersonas(menu, 4).map((entry) => entry.id);
  const levelled = levelledPersonas(menu);
  const levelExample = levelled.entries[0];
  const levelExampleLine = levelExample ? `\n         dp persona add ${levelExample.id} --level ${levelExample.levels[1] ?? levelExample.levels[0]} --dry-run` : '';
  const menuNames = menuChoices(menu).map((choice, i, all) => (i === all.length - 1 ? `${choice.name},` : choice.name));
  const personaList = wrap('  persona add <persona>...     apply personas (', [...menu.map((entry) => `${[entry.id, ...entry.aliases].join('|')},`), 'or', 'your', 'own)'], ' '.repeat(31));
  const levelOption = `      --level <level>       skill level for the ${levelled.name} persona
${ASSISTANTS_OPTION}`;
  return {
    '': `dp: apply AI-assistant personas to a repository (Claude Code commands, CLAUDE.md sections,
settings, tools), merged without losing your edits.

Usage: dp <command> [options]

Commands:
${personaList}
  persona remove <persona>...  take a persona back (your edits stay)
  persona switch <persona>     make one persona the only active one
  persona list                 available and active personas
  assistants [add|remove <id>] the AI assistants written for (default: claude alone)
  profile                      the interactive menu (same as yo dp)
  status                       active personas, version, your changes, upgrades available
  upgrade                      re-apply the active personas with this version's templates
  doctor                       check the installation (--fix restores missing files)
  graduate                     raise the ${levelled.name} persona's skill level one step

Options: -h, --help (also after a command), -v, --version
Example: dp persona add ${first}
Exit codes: 0 ok, 1 failure, 2 bad usage.`,
    persona: `Usage: dp persona <add|remove|switch|list> ...   (see dp persona <command> --help)`,
    'persona add': `Usage: dp persona add <persona>... [--level <level>] [options]

${wrap('', words(`Apply personas; the ones already active stay. A persona with skill levels (${levelled.name}) needs --level ${levelled.levels.join('|')} (asked on a terminal; remembered in .yo-rc.json).`))}

${WRITE_OPTIONS}
${levelOption}
      --status-line         also show the persona's status line in Claude Code (GPU use and training
                            progress for the personas that have one; yours is never replaced)
      --no-status-line      turn that status line off again (only dp's is removed; yours stays)

Example: dp persona add ${first} ${second}${levelExampleLine}`,
    'persona remove': `Usage: dp persona remove <persona>... [options]

Take personas back: their CLAUDE.md sections, their settings entries (unless another active persona
or you have them too) and their files (unless you edited them: kept and reported).

${WRITE_OPTIONS}

Example: dp persona remove ${third}`,
    'persona switch': `Usage: dp persona switch <persona> [--level <level>] [options]

Make one persona the only active one: the others are removed, this one is applied.

${WRITE_OPTIONS}
${levelOption}

Example: dp persona switch ${fourth}`,
    assistants: `Usage: dp assistants [list [--json]] | add <id>... | remove <id>... [options]

${wrap('', words(`Which AI coding assistants the active personas are written for: ${ADAPTERS.map((a) => `${a.id} (${a.displayName})`).join(', ')}. The choice is kept in .claude/persona.json; Claude Code alone is the default. list shows them, which are written for, whose files are in the repository, and what each cannot express of the active personas.`))}`,
    'assistants list': `Usage: dp assistants list [--json] [-C <dir>]

The assistants, which are written for here, whose files are in the repository, and what each cannot
express of the active personas.`,
    'assistants add': `Usage: dp assistants add <id>... [options]

${wrap('', words(`Write the active personas for more assistants (${assistantIds().join(', ')} or all): their files and sections are written now and kept by later runs.`))}

${WRITE_OPTIONS}

Example: dp assistants add agents`,
    'assistants remove': `Usage: dp assistants remove <id>... [options]

Stop writing for assistants: exactly what dp wrote for them is taken back (your edits stay).

${WRITE_OPTIONS}

Example: dp assistants remove agents`,
    'persona list': `Usage: dp persona list [--json] [-C <dir>]

The built-in personas (numbered as in the menu, with aliases), your own (profiles/personas/*.json),
and which are active here.`,
    profile: `Usage: dp profile [-C <dir>]

${wrap('', [...words('The interactive menu, as yo dp:'), ...menuNames, ...words('several at once, or your own. Needs a terminal.')])}`,
    status: `Usage: dp status [--json] [-C <dir>]

Active personas and levels, the generator version that applied them and this one, the files you
changed, the upgrades this version brings, and conflicts waiting in .dp-new files.`,
    upgrade: `Usage: dp upgrade [options]

Re-apply the active personas with this version's templates. One line per file: updated, kept (your
edits stay), merged, or conflict (yours stays; the new version is written beside it as
<file>.dp-new).

${WRITE_OPTIONS}
      --no-status-line      turn off the status line the personas were opted in to (only dp's is
                            removed; yours stays)

Example: dp upgrade --dry-run`,
    doctor: `Usage: dp doctor [--fix] [--json] [-C <dir>]

Checks that the personas are applied as recorded (files, commands, sections, tool modes, and each
targeted assistant's files in its own format),
that .claude/settings.json is valid, that no conflict is left unresolved, that nvidia-smi is
reachable, and the Node.js version. --fix restores missing files and sections and tool modes;
it never overwrites your edits. --json prints the findings as JSON. Exit code 1 while problems
remain.`,
    graduate: `Usage: dp graduate [--yes] [options]

${wrap('', words(`Raise the ${levelled.name} persona's skill level one step (${levelled.levels.join(' -> ')}) after confirmation: its guidance, commands and permissions change with the level.`))}

${WRITE_OPTIONS}`,
  };
}

/** The help text for the command words given (e.g. ['persona', 'add']). */
export function helpFor(command: string[]): string {
  const help = helpTexts(builtinMenu());
  const two = command.slice(0, 2).join(' ');
  return help[two] ?? help[command[0] ?? ''] ?? help['']!;
}
