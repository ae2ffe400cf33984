// Which catalogued escapes (escapes.ts) a command line contains, and which an allow rule lets through.
// A rule lets an escape through when some command it matches contains it: the rule's wildcards are
// tried with each escape's spellings (as Claude Code's `*` matches any text, spaces included).
import { bashRuleMatches, bashSpecifier, specifierPieces, splitCompound, stripWrappers } from './bash-rule.js';
import { ESCAPES, GIT_COMMANDS, syntaxOf, type Escape, type ProgramSyntax } from './escapes.js';

/** The words of a simple command: split at unquoted blanks, quotes removed, nothing expanded. */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  let quote: string | null = null;
  for (let i = 0; i < command.length; i++) {
    const char = command[i]!;
    if (quote) {
      if (char === quote) quote = null;
      else if (char === '\\' && quote === '"' && i + 1 < command.length) word += command[++i]!;
      else word += char;
    } else if (/\s/.test(char)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (char === "'" || char === '"') {
      quote = char;
      word ??= '';
    } else if (char === '\\' && i + 1 < command.length) {
      word = (word ?? '') + command[++i]!;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

/** The name escapes are catalogued under: the base name without .sh/.mjs (scripts/gpu_monitor.sh is gpu_monitor). */
function programName(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1).replace(/\.(sh|mjs)$/, '');
}

interface ParsedCommand {
  program: string;
  /** git's options before the command name. */
  global: string[];
  command: string | undefined;
  args: string[];
}

function parseCommand(commandText: string): ParsedCommand | null {
  const words = shellWords(stripWrappers(commandText.trim()));
  while (words.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!)) words.shift();
  if (words.length === 0) return null;
  let program = programName(words.shift()!);
  if (/^python[0-9.]*$/.test(program) && words[0] === '-m' && words[1] !== undefined) {
    words.shift();
    program = programName(words.shift()!);
  }
  const syntax = syntaxOf(program);
  const global: string[] = [];
  if (program === 'git') {
    while (words[0]?.startsWith('-')) {
      const word = words.shift()!;
      global.push(word);
      if (syntax.withValue?.includes(word) && words.length > 0) global.push(words.shift()!);
    }
  }
  const command = syntax.subcommands && words[0] !== undefined && !words[0].startsWith('-') ? words.shift() : undefined;
  return { program, global, command, args: words };
}

/** The program a command runs, as the catalogue names it (`python -m pytest` runs pytest). */
export function programOf(command: string): string | undefined {
  return parseCommand(command)?.program;
}

function optionMatches(word: string, flag: string, syntax: ProgramSyntax): boolean {
  if (word === flag || word.startsWith(`${flag}=`)) return true;
  if (syntax.wholeWords) return !flag.startsWith('--') && (word === `-${flag}` || word.startsWith(`-${flag}=`));
  if (flag.startsWith('--')) {
    // parse-options and argparse accept an unambiguous abbreviation (git blame --conte .env works).
    const name = word.split('=')[0]!;
    return name.startsWith('--') && name.length >= 5 && flag.startsWith(name);
  }
  // A short option in a cluster (-xf) or with its value attached (-x./run.sh).
  return flag.length === 2 && word.startsWith('-') && !word.startsWith('--') && word.slice(1).includes(flag[1]!);
}

/** Whether the next word is this option's value: `-o`, or a cluster ending in it (`ps -eo pid,user`). */
function takesValue(word: string, syntax: ProgramSyntax): boolean {
  return (syntax.withValue ?? []).some((flag) => word === flag || (flag.length === 2 && flag.startsWith('-') && /^-[^-]/.test(word) && word.endsWith(flag[1]!)));
}

/** Arguments that are not options: dashless words that are not an option's value, and all words after the end of options. */
function operands(options: string[], after: string[], syntax: ProgramSyntax): string[] {
  const found: string[] = [];
  for (let i = 0; i < options.length; i++) {
    const word = options[i]!;
    if (takesValue(word, syntax)) i++;
    else if (!word.startsWith('-')) found.push(word);
  }
  return [...found, ...after];
}

/** A path that leaves the repository: absolute, in a home directory, through `..`, or expanded by the shell. */
function leavesRepository(word: string): boolean {
  return word.startsWith('/') || word.startsWith('~') || word.includes('$') || word.split('/').includes('..');
}

function contains(escape: Escape, parsed: ParsedCommand): boolean {
  if (escape.program !== parsed.program) return false;
  if (escape.commands && (parsed.command === undefined || !escape.commands.includes(parsed.command))) return false;
  if (escape.unless !== undefined && parsed.args.includes(escape.unless)) return false;
  const syntax = syntaxOf(parsed.program);
  const ends = escape.endOfOptions ?? syntax.endOfOptions;
  const end = parsed.args.findIndex((word) => ends.includes(word));
  const options = end < 0 ? parsed.args : parsed.args.slice(0, end);
  const after = end < 0 ? [] : parsed.args.slice(end + 1);
  const spelling = escape.spelling;
  if ('options' in spelling) return options.some((word) => spelling.options.some((flag) => optionMatches(word, flag, syntax)));
  if ('global' in spelling) return parsed.global.some((word) => spelling.global.some((flag) => word === flag || word.startsWith(`${flag}=`)));
  if ('operand' in spelling) return operands(options, after, syntax).some((word) => spelling.operand === 'any' || leavesRepository(word));
  if ('letter' in spelling) return operands(options, [], syntax).some((word) => word.includes(spelling.letter));
  if ('word' in spelling) return [...parsed.global, parsed.command ?? '', ...parsed.args].some((word) => word.includes(spelling.word));
  if ('afterOptions' in spelling) return after.length > 0;
  if ('notBuiltin' in spelling) return parsed.command !== undefined && !GIT_COMMANDS.has(parsed.command);
  return true;
}

/** The catalogued escapes in a command line (every part of a compound one). */
export function escapesIn(commandLine: string): Escape[] {
  const parts = splitCompound(commandLine).map(parseCommand).filter((parsed) => parsed !== null);
  return ESCAPES.filter((escape) => parts.some((parsed) => contains(escape, parsed)));
}

/** Text that spells an escape, to put where a rule has a `*`. */
function fragments(escape: Escape): string[] {
  const spelling = escape.spelling;
  let texts: string[];
  if ('options' in spelling) texts = spelling.options.flatMap((flag) => [`${flag} x`, `${flag}=x`]);
  else if ('global' in spelling) texts = spelling.global.map((flag) => `${flag} x status`);
  else if ('operand' in spelling) texts = spelling.operand === 'any' ? ['x'] : ['/x', '~/x', '../x'];
  else if ('letter' in spelling) texts = [spelling.letter];
  else if ('word' in spelling) texts = [spelling.word];
  else if ('afterOptions' in spelling) texts = ['-- x'];
  else if ('notBuiltin' in spelling) texts = ['x-alias'];
  else texts = [''];
  const withCommands = escape.commands ? escape.commands.flatMap((command) => texts.map((text) => `${command} ${text}`.trim())) : [];
  return [...texts, ...withCommands, escape.sample];
}

/** The program a rule's specifier names, when its first word is written out in full (not ended by a `*`). */
function ruleProgram(pieces: string[]): string | undefined {
  const written = pieces.length === 1 ? pieces[0]! : pieces[0]!.replace(/\S*$/, '');
  return written.trim() === '' ? undefined : parseCommand(written)?.program;
}

export interface Finding {
  escape: Escape;
  /** A command line the rule allows that contains the escape. */
  command: string;
}

/** The catalogued escapes an allow rule lets Claude Code run without asking, each with a command that shows it. */
export function ruleEscapes(rule: string): Finding[] {
  const specifier = bashSpecifier(rule);
  if (specifier === null) return [];
  const pieces = specifierPieces(specifier);
  const program = ruleProgram(pieces);
  const candidates = ESCAPES.filter((escape) => program === undefined || escape.program === program);
  const found = new Map<Escape, string>();
  const note = (command: string) => {
    for (const escape of escapesIn(command)) if (!found.has(escape)) found.set(escape, command);
  };
  const fill = (at: number, text: string, others: string) => pieces.map((piece, i) => (i === 0 ? piece : `${i - 1 === at ? text : others}${piece}`)).join('');
  for (const others of ['', 'x']) note(fill(-1, '', others));
  for (const escape of candidates) {
    if (bashRuleMatches(rule, escape.sample) && escapesIn(escape.sample).includes(escape)) found.set(escape, found.get(escape) ?? escape.sample);
    for (let at = 0; at < pieces.length - 1; at++) {
      for (const text of fragments(escape)) {
        for (const variant of [text, `x ${text}`]) for (const others of ['', 'x']) note(fill(at, variant, others));
      }
    }
  }
  return [...found].map(([escape, command]) => ({ escape, command }));
}
