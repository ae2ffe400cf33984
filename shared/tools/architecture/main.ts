// analyze_architecture: facts about a repository for architecture work (stacks, dependencies, the
// directory map, services, HTTP routes, data models, schemas, a Mermaid diagram of the components).
// Usage and the JSON shape: docs/tools/analyze-architecture.md.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isMain, numberOption, parseToolArgs, runMain, UsageError } from '../lib/cli.js';
import { colorEnabled, stylist } from '../lib/term.js';
import { analyzeRepository, DEFAULTS } from './analyze.js';
import { renderText } from './render.js';

const TOOL = 'analyze_architecture';

export const HELP = `Usage: analyze_architecture [path] [options]

Facts about a repository (default: the current directory) for architecture work: the stacks and
their dependency counts, the directory map, services (docker-compose, Kubernetes, Procfile), HTTP
routes with file:line, data models and schemas, and a Mermaid diagram of the components.
It only reads files; it never runs the project's code. A fact it cannot determine is reported as
unknown (null in --json), never guessed.

Options:
  --json              print one JSON object (the shape is in docs/tools/analyze-architecture.md)
  --depth <n>         depth of the directory map (default ${DEFAULTS.depth}, 1 to 8)
  --max-files <n>     stop walking after this many files (default ${DEFAULTS.maxFiles})
  --max-file-kb <n>   do not read files larger than this (default ${DEFAULTS.maxFileBytes / 1024} KiB)
  -h, --help          this help

Left out of the walk: node_modules, vendor, .git, dist, build, target, .venv, venv, __pycache__ and
other dependency/build/cache folders, and what the top-level .gitignore lists.

Examples:
  scripts/analyze_architecture.sh                    report on the current repository
  scripts/analyze_architecture.sh --json > facts.json
  scripts/analyze_architecture.sh services/api --depth 3
  scripts/analyze_architecture.sh --json | jq -r .diagram.mermaid

Exit codes: 0 ok, 1 failure, 2 bad usage (unknown option, a path that is not a directory).`;

const OPTIONS = {
  json: { type: 'boolean' },
  depth: { type: 'string' },
  'max-files': { type: 'string' },
  'max-file-kb': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The directory to analyse, or a usage error naming what is wrong with it. */
function repositoryRoot(raw: string | undefined): string {
  const root = resolve(raw ?? '.');
  let isDirectory: boolean;
  try {
    isDirectory = statSync(root).isDirectory();
  } catch {
    throw new UsageError(`no such directory: ${raw ?? root}`, 'pass the path of a repository (or run the tool from inside one)');
  }
  if (!isDirectory) throw new UsageError(`${raw} is a file, not a directory`, 'pass the directory of the repository, e.g. analyze_architecture .');
  return root;
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseToolArgs(TOOL, argv, OPTIONS);
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`expected one path, got ${positionals.length}: ${positionals.join(' ')}`, 'analyse one repository at a time');
  const depth = numberOption('depth', values.depth, { min: 1, max: 8, integer: true }) ?? DEFAULTS.depth;
  const maxFiles = numberOption('max-files', values['max-files'], { min: 1, max: 10_000_000, integer: true }) ?? DEFAULTS.maxFiles;
  const maxFileKb = numberOption('max-file-kb', values['max-file-kb'], { min: 1, max: 1_048_576, integer: true });
  const root = repositoryRoot(positionals[0]);
  const facts = analyzeRepository({ root, depth, maxFiles, maxFileBytes: maxFileKb === undefined ? DEFAULTS.maxFileBytes : maxFileKb * 1024 });
  if (values.json) process.stdout.write(`${JSON.stringify(facts, null, 2)}\n`);
  else process.stdout.write(renderText(facts, stylist(colorEnabled())));
  return 0;
}

if (isMain(import.meta.url)) void runMain(TOOL, main);
