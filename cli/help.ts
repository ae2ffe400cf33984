// Help texts, one per command: what it does, its options, an example.

const WRITE_OPTIONS = `  -n, --dry-run             show the changes (as diffs) and write nothing
  -y, --yes                 answer confirmations with yes
      --on-conflict <how>   keep (yours stays, the new version goes to <file>.dp-new) or markers
                            (git-style conflict markers); on a terminal dp asks when a conflict happens
  -C, --cwd <dir>           the repository (default: the current directory, or the nearest parent
                            with .claude/persona.json, .yo-rc.json or .git)`;

export const HELP: Record<string, string> = {
  '': `dp: apply AI-assistant personas to a repository (Claude Code commands, CLAUDE.md sections,
settings, tools), merged without losing your edits.

Usage: dp <command> [options]

Commands:
  persona add <persona>...     apply personas (data-scientist|ds, software-architect|architect|sa,
                               developer|dev, pm|product-manager, designer, or your own)
  persona remove <persona>...  take a persona back (your edits stay)
  persona switch <persona>     make one persona the only active one
  persona list                 available and active personas
  profile                      the interactive menu (same as yo dp)
  status                       active personas, version, your changes, upgrades available
  upgrade                      re-apply the active personas with this version's templates
  doctor                       check the installation (--fix restores missing files)
  graduate                     raise the developer persona's skill level one step

Options: -h, --help (also after a command), -v, --version
Example: dp persona add data-scientist
Exit codes: 0 ok, 1 failure, 2 bad usage.`,
  persona: `Usage: dp persona <add|remove|switch|list> ...   (see dp persona <command> --help)`,
  'persona add': `Usage: dp persona add <persona>... [--level <level>] [options]

Apply personas; the ones already active stay. A persona with skill levels (developer) needs --level
beginner|l1|l2|expert (asked on a terminal; remembered in .yo-rc.json).

${WRITE_OPTIONS}
      --level <level>       skill level for the developer persona

Example: dp persona add data-scientist pm
         dp persona add developer --level l1 --dry-run`,
  'persona remove': `Usage: dp persona remove <persona>... [options]

Take personas back: their CLAUDE.md sections, their settings entries (unless another active persona or
you have them too) and their files (unless you edited them: kept and reported).

${WRITE_OPTIONS}

Example: dp persona remove designer`,
  'persona switch': `Usage: dp persona switch <persona> [--level <level>] [options]

Make one persona the only active one: the others are removed, this one is applied.

${WRITE_OPTIONS}
      --level <level>       skill level for the developer persona

Example: dp persona switch software-architect`,
  'persona list': `Usage: dp persona list [--json] [-C <dir>]

The built-in personas (numbered as in the menu, with aliases), your own (profiles/personas/*.json),
and which are active here.`,
  profile: `Usage: dp profile [-C <dir>]

The interactive menu, as yo dp: 1) Software Developer 2) Software Architect 3) Data Scientist
4) Product Manager 5) Designer, several at once, or your own. Needs a terminal.`,
  status: `Usage: dp status [--json] [-C <dir>]

Active personas and levels, the generator version that applied them and this one, the files you
changed, the upgrades this version brings, and conflicts waiting in .dp-new files.`,
  upgrade: `Usage: dp upgrade [options]

Re-apply the active personas with this version's templates. One line per file: upgraded, kept (yours),
merged, or conflict (yours is kept; the new version is written beside it as <file>.dp-new).

${WRITE_OPTIONS}

Example: dp upgrade --dry-run`,
  doctor: `Usage: dp doctor [--fix] [-C <dir>]

Checks that the personas are applied as recorded (files, commands, CLAUDE.md sections, tool modes),
that .claude/settings.json is valid, that no conflict is left unresolved, that nvidia-smi is
reachable, and the Node.js version. --fix restores missing files and sections and tool modes;
it never overwrites your edits. Exit code 1 while problems remain.`,
  graduate: `Usage: dp graduate [--yes] [options]

Raise the developer persona's skill level one step (beginner -> l1 -> l2 -> expert) after
confirmation: its guidance, commands and permissions change with the level.

${WRITE_OPTIONS}`,
};

/** The help text for the command words given (e.g. ['persona', 'add']). */
export function helpFor(words: string[]): string {
  const two = words.slice(0, 2).join(' ');
  return HELP[two] ?? HELP[words[0] ?? ''] ?? HELP['']!;
}
