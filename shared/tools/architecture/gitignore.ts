// The top-level .gitignore, read for the directory walk. Supported: comments, blank lines, `*`, `?`,
// `**`, character classes, a leading `/` (anchored), a trailing `/` (directories only), and a slash in
// the middle (anchored). Not supported: negation (`!pattern`, counted and reported: such paths stay
// excluded), nested .gitignore files, .git/info/exclude and the global excludes file.

export interface IgnoreRule {
  pattern: string;
  regex: RegExp;
  directoryOnly: boolean;
}

export interface Gitignore {
  rules: IgnoreRule[];
  negations: number;
}

function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i += 1) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches zero or more directories; a trailing `**` matches everything below.
        if (glob[i + 2] === '/') {
          out += '(?:.*/)?';
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close === -1) out += '\\[';
      else {
        const body = glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = close;
      }
    } else if (c === '\\' && i + 1 < glob.length) {
      out += glob[i + 1]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      i += 1;
    } else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return out;
}

export function parseGitignore(text: string): Gitignore {
  const rules: IgnoreRule[] = [];
  let negations = 0;
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('!')) {
      negations += 1;
      continue;
    }
    const directoryOnly = line.endsWith('/');
    if (directoryOnly) line = line.slice(0, -1);
    const anchored = line.startsWith('/') || line.slice(0, -1).includes('/');
    line = line.replace(/^\//, '');
    if (line === '') continue;
    const body = globToRegex(line);
    const regex = new RegExp(anchored ? `^${body}$` : `^(?:.*/)?${body}$`);
    rules.push({ pattern: raw.trim(), regex, directoryOnly });
  }
  return { rules, negations };
}

/** Whether a path relative to the root (forward slashes, no trailing slash) is ignored. */
export function isIgnored(ignore: Gitignore, path: string, isDirectory: boolean): boolean {
  return ignore.rules.some((rule) => (!rule.directoryOnly || isDirectory) && rule.regex.test(path));
}
