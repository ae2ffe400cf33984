// The simple commands in a Bash command line, as argv lists: split at `&&`, `||`, `;`, `|`, `&`, newlines,
// subshell parentheses and command substitutions, with quotes and backslashes read as the shell reads
// them, and the wrappers that run another command (`sudo`, `env`, `nohup`, `timeout 5`, `bash -c '...'`)
// taken off, so `cd run && sudo -u me kill -9 42` yields ['cd', 'run'] and ['kill', '-9', '42'].
// Not a shell: no expansion of variables or globs; a word holding `$` stays as written.

const SEPARATORS = ['&&', '||', ';;', '$(', ';', '|', '&', '\n', '(', ')', '`', '{', '}'];

/** Split into words per simple command. */
function tokenize(text: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word: string | null = null;
  const endWord = () => {
    if (word !== null) words.push(word);
    word = null;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (c === '$' && text[i + 1] === "'") {
      // $'...' (ANSI-C quoting): `$'kill' 42` runs kill.
      const [value, end] = ansiC(text, i + 2);
      word = (word ?? '') + value;
      i = end;
    } else if (c === '$' && text[i + 1] === '"') {
      i += 1; // $"..." (locale quoting) reads as "..."
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      word = (word ?? '') + text.slice(i + 1, close === -1 ? text.length : close);
      i = close === -1 ? text.length : close + 1;
    } else if (c === '"') {
      let j = i + 1;
      let out = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < text.length && '"\\$`\n'.includes(text[j + 1]!)) j += 1;
        out += text[j];
        j += 1;
      }
      word = (word ?? '') + out;
      i = j + 1;
    } else if (c === '\\') {
      if (text[i + 1] !== '\n') word = (word ?? '') + (text[i + 1] ?? '');
      i += 2;
    } else if (c === '#' && word === null) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      endWord();
      i += 1;
    } else {
      const separator = word === null || !'({}'.includes(c) ? SEPARATORS.find((s) => text.startsWith(s, i)) : undefined;
      if (separator) {
        endCommand();
        i += separator.length;
      } else {
        word = (word ?? '') + c;
        i += 1;
      }
    }
  }
  endCommand();
  return commands;
}

const ANSI_C_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };

/** The value of a $'...' string starting at `start` (after the quote), and the index after its closing quote. */
function ansiC(text: string, start: number): [string, number] {
  let out = '';
  let i = start;
  while (i < text.length && text[i] !== "'") {
    if (text[i] !== '\\' || i + 1 >= text.length) {
      out += text[i];
      i += 1;
      continue;
    }
    const rest = text.slice(i + 1);
    const code = /^x([0-9a-fA-F]{1,2})/.exec(rest) ?? /^([0-7]{1,3})/.exec(rest);
    if (code) {
      out += String.fromCharCode(parseInt(code[1]!, rest[0] === 'x' ? 16 : 8));
      i += 1 + code[0].length;
    } else {
      out += ANSI_C_ESCAPES[rest[0]!] ?? `\\${rest[0]}`;
      i += 2;
    }
  }
  return [out, i + 1];
}

/** Options of the wrappers that take a value in the next word. */
const WRAPPER_VALUE_OPTIONS: Record<string, string[]> = {
  sudo: ['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-R', '-T'],
  doas: ['-u', '-C'],
  env: ['-u', '-C', '-S', '--unset', '--chdir'],
  nice: ['-n', '--adjustment'],
  ionice: ['-c', '-n', '-p'],
  timeout: ['-s', '-k', '--signal', '--kill-after'],
  stdbuf: ['-i', '-o', '-e'],
  xargs: ['-n', '-I', '-P', '-L', '-d', '-a', '-E', '-s', '--max-args', '--max-procs', '--delimiter', '--arg-file'],
  watch: ['-n', '--interval', '-d', '-q', '--equexit'],
};
const WRAPPERS = new Set([...Object.keys(WRAPPER_VALUE_OPTIONS), 'nohup', 'time', 'exec', 'command', 'builtin', 'setsid', 'busybox', 'then', 'else', 'do', '!', 'if', 'while', 'until']);
/** Programs that run a command string given with -c (`bash -lc '...'`, `su -c '...' user`). */
const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh', 'su']);

/** The command string of `bash -c`, `bash -lc`, `sh -ec -- '...'`: the first operand after an option cluster holding c. */
function shellScript(words: string[], from: number): string | undefined {
  const c = words.findIndex((word, k) => k >= from && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(word));
  if (c === -1) return undefined;
  let k = c + 1;
  while (words[k] !== undefined && words[k]!.startsWith('-') && words[k] !== '--') k += 1;
  if (words[k] === '--') k += 1;
  return words[k];
}

/** argv without the leading assignments and wrappers; `bash -c '<script>'` becomes the script's commands. */
function unwrap(words: string[], depth: number): string[][] {
  let i = 0;
  for (;;) {
    while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!)) i += 1;
    const name = words[i]?.replace(/^.*\//, '');
    if (name === undefined) return [];
    if (SHELLS.has(name)) {
      const script = shellScript(words, i + 1);
      if (script !== undefined && depth < 4) return commandsOf(script, depth + 1);
      return [words.slice(i)];
    }
    // `eval kill 42`, `eval "kill 42"`: the shell reads the words again, joined by spaces.
    if (name === 'eval') return depth < 4 ? commandsOf(words.slice(i + 1).join(' '), depth + 1) : [words.slice(i)];
    if (!WRAPPERS.has(name)) return [words.slice(i)];
    i += 1;
    const valued = WRAPPER_VALUE_OPTIONS[name] ?? [];
    while (i < words.length && words[i]!.startsWith('-') && words[i] !== '--') i += valued.includes(words[i]!) ? 2 : 1;
    if (words[i] === '--') i += 1;
    // `timeout 5 cmd`, `nice 10 cmd` (old form): the duration or niceness before the command.
    if ((name === 'timeout' || name === 'nice') && /^[+-]?\d+(\.\d+)?[smhd]?$/.test(words[i] ?? '')) i += 1;
  }
}

function commandsOf(text: string, depth: number): string[][] {
  return tokenize(text).flatMap((words) => unwrap(words, depth));
}

/** The simple commands of a Bash command line, each as its argv. */
export function simpleCommands(text: string): string[][] {
  return commandsOf(text, 0);
}
