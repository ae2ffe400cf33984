// A small YAML reader for the subset that docker-compose files and Kubernetes manifests use. It never
// throws: what it cannot read becomes null and a warning.
//
// Read: several documents (`---`, `...`); block mappings and block sequences by indentation (a
// sequence may sit at its key's indentation); `- key: value` items; plain, 'single' and "double" quoted
// scalars, plain scalars continued on more-indented lines; flow collections `[a, b]` and `{a: b}`, also
// over several lines; comments; anchors (`&name`, dropped) and tags (`!tag`, dropped).
// Not read: aliases (`*name` becomes null) and merge keys (`<<`, skipped): a warning says so; complex
// keys (`? `); tabs in indentation (read as one space each, with a warning). Block scalars (`|`, `>`)
// are kept only approximately (their lines joined by newlines, comments and blank lines dropped).
// Every scalar is a string (`8080`, `true` stay text) or null (`~`, `null`, empty).

export type YamlValue = string | null | YamlValue[] | YamlMap;
export interface YamlMap {
  [key: string]: YamlValue;
}

export interface YamlDocument {
  value: YamlValue;
  /** 1-based line of the document's first content line. */
  line: number;
}

export interface YamlResult {
  documents: YamlDocument[];
  warnings: string[];
}

interface Token {
  indent: number;
  text: string;
  line: number;
}

const keyLines = new WeakMap<object, Map<string, number>>();

/** The 1-based line a key of a mapping was read from. */
export function lineOfKey(map: YamlMap, key: string): number | null {
  return keyLines.get(map)?.get(key) ?? null;
}

export function isMap(value: YamlValue | undefined): value is YamlMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Remove a comment: `#` at the start or after whitespace, outside a quoted scalar. */
function stripComment(text: string): string {
  let quote: string | null = null;
  let lastSignificant = '';
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i += 1;
      else if (c === quote) {
        if (quote === "'" && text[i + 1] === "'") i += 1;
        else quote = null;
      }
      continue;
    }
    if ((c === '"' || c === "'") && (lastSignificant === '' || ':-[{,'.includes(lastSignificant))) quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) return text.slice(0, i);
    if (!/\s/.test(c)) lastSignificant = c;
  }
  return text;
}

/** Split text into documents of tokens; `- x` becomes a `-` token and `x` indented past the dash. */
function tokenize(text: string, warn: (message: string) => void): Array<{ tokens: Token[] }> {
  const documents: Array<{ tokens: Token[] }> = [{ tokens: [] }];
  let warnedTabs = false;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (/^---(\s|$)/.test(raw)) {
      documents.push({ tokens: [] });
      return;
    }
    if (/^\.\.\.\s*$/.test(raw)) return;
    if (/^%/.test(raw)) return; // directives (%YAML, %TAG)
    const leading = /^[ \t]*/.exec(raw)![0];
    if (leading.includes('\t') && !warnedTabs) {
      warn(`line ${line}: a tab in the indentation (YAML allows spaces only): read as one space`);
      warnedTabs = true;
    }
    let indent = leading.length;
    let content = stripComment(raw.slice(leading.length)).replace(/\s+$/, '');
    if (content === '') return;
    const tokens = documents[documents.length - 1]!.tokens;
    for (let dash = /^-(\s+|$)/.exec(content); dash; dash = /^-(\s+|$)/.exec(content)) {
      tokens.push({ indent, text: '-', line });
      indent += dash[0].length === 1 ? 2 : dash[0].length;
      content = content.slice(dash[0].length);
    }
    if (content !== '') tokens.push({ indent, text: content, line });
  });
  return documents.filter((doc) => doc.tokens.length > 0);
}

function unquoteDouble(body: string): string {
  const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '"': '"', '\\': '\\', '/': '/', ' ': ' ' };
  return body.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_m, e: string) =>
    e.length > 1 ? String.fromCharCode(parseInt(e.slice(1), 16)) : (escapes[e] ?? e),
  );
}

function plainScalar(text: string): string | null {
  const value = text.trim();
  return value === '' || value === '~' || /^(null|Null|NULL)$/.test(value) ? null : value;
}

/** A whole scalar: quoted or plain. */
function scalar(text: string): string | null {
  const t = text.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) return unquoteDouble(t.slice(1, -1));
  if (t.length >= 2 && t.startsWith("'") && t.endsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
  return plainScalar(t);
}

/** Flow collections on one (joined) line: `[a, "b", {c: d}]`. */
function parseFlow(text: string): YamlValue {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i += 1;
  };
  const quoted = (): string => {
    const q = text[i]!;
    let j = i + 1;
    let body = '';
    while (j < text.length) {
      if (q === '"' && text[j] === '\\') {
        body += text.slice(j, j + 2);
        j += 2;
        continue;
      }
      if (text[j] === q) {
        if (q === "'" && text[j + 1] === "'") {
          body += "''";
          j += 2;
          continue;
        }
        break;
      }
      body += text[j];
      j += 1;
    }
    i = j + 1;
    return q === '"' ? unquoteDouble(body) : body.replace(/''/g, "'");
  };
  const plain = (isKey: boolean): string | null => {
    const start = i;
    while (i < text.length && !',]}'.includes(text[i]!) && !(isKey && text[i] === ':' && /[\s,\]}]|^$/.test(text[i + 1] ?? ''))) i += 1;
    return plainScalar(text.slice(start, i));
  };
  const value = (isKey = false): YamlValue => {
    ws();
    const c = text[i];
    if (c === '[') {
      i += 1;
      const items: YamlValue[] = [];
      for (ws(); i < text.length && text[i] !== ']'; ws()) {
        items.push(value());
        ws();
        if (text[i] === ',') i += 1;
        else if (text[i] !== ']') break;
      }
      i += 1;
      return items;
    }
    if (c === '{') {
      i += 1;
      const map: YamlMap = {};
      for (ws(); i < text.length && text[i] !== '}'; ws()) {
        const key = value(true);
        ws();
        let entry: YamlValue = null;
        if (text[i] === ':') {
          i += 1;
          entry = value();
          ws();
        }
        if (typeof key === 'string') map[key] = entry;
        if (text[i] === ',') i += 1;
        else if (text[i] !== '}') break;
      }
      i += 1;
      return map;
    }
    if (c === '"' || c === "'") return quoted();
    return plain(isKey);
  };
  return value();
}

/** Brackets still open in a flow collection, ignoring quoted text. */
function flowDepth(text: string): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i += 1;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth += 1;
    else if (c === ']' || c === '}') depth -= 1;
  }
  return depth;
}

/** `key: rest` -> the key and the rest; null when the text is not a mapping entry. */
function splitKey(text: string): { key: string; rest: string } | null {
  const first = text[0];
  if (first === '"' || first === "'") {
    let j = 1;
    while (j < text.length) {
      const c = text[j];
      if (first === '"' && c === '\\') j += 2;
      else if (c === first && first === "'" && text[j + 1] === "'") j += 2;
      else if (c === first) break;
      else j += 1;
    }
    const after = /^\s*:(\s+|$)/.exec(text.slice(j + 1));
    if (!after) return null;
    return { key: scalar(text.slice(0, j + 1)) ?? '', rest: text.slice(j + 1 + after[0].length) };
  }
  if ('[{?&*!|>%@`'.includes(first ?? '')) return null;
  const match = /^(.+?)\s*:(?:\s+(.*))?$/.exec(text);
  if (!match || match[1]!.includes(': ')) return null;
  return { key: match[1]!, rest: match[2] ?? '' };
}

class DocumentParser {
  private pos = 0;
  private warnedAlias = false;
  private warnedMerge = false;

  constructor(
    private readonly tokens: Token[],
    private readonly warn: (message: string) => void,
  ) {}

  parse(): YamlValue {
    const value = this.block(-1);
    if (this.pos < this.tokens.length) {
      const token = this.tokens[this.pos]!;
      this.warn(`line ${token.line}: unexpected indentation: the rest of this document was not read`);
    }
    return value;
  }

  private block(parentIndent: number): YamlValue {
    const token = this.tokens[this.pos];
    if (!token || token.indent <= parentIndent) return null;
    if (token.text === '-') return this.sequence(token.indent);
    if (splitKey(token.text)) return this.mapping(token.indent);
    this.pos += 1;
    return this.inline(token.text, parentIndent, token.line);
  }

  private sequence(indent: number): YamlValue[] {
    const items: YamlValue[] = [];
    for (let token = this.tokens[this.pos]; token && token.indent === indent && token.text === '-'; token = this.tokens[this.pos]) {
      this.pos += 1;
      const next = this.tokens[this.pos];
      items.push(next && next.indent > indent ? this.block(indent) : null);
    }
    return items;
  }

  private mapping(indent: number): YamlMap {
    const map: YamlMap = {};
    const lines = new Map<string, number>();
    keyLines.set(map, lines);
    for (let token = this.tokens[this.pos]; token && token.indent === indent && token.text !== '-'; token = this.tokens[this.pos]) {
      const entry = splitKey(token.text);
      if (!entry) break;
      this.pos += 1;
      let value: YamlValue;
      if (entry.rest === '') {
        const next = this.tokens[this.pos];
        if (next && next.indent > indent) value = this.block(indent);
        else if (next && next.indent === indent && next.text === '-') value = this.sequence(indent);
        else value = null;
      } else value = this.inline(entry.rest, indent, token.line);
      if (entry.key === '<<') {
        if (!this.warnedMerge) this.warn(`line ${token.line}: merge keys (<<) are not followed`);
        this.warnedMerge = true;
        continue;
      }
      map[entry.key] = value;
      lines.set(entry.key, token.line);
    }
    return map;
  }

  /** A value written after `key:` or as a sequence item: scalar, flow collection or block scalar. */
  private inline(text: string, parentIndent: number, line: number): YamlValue {
    let rest = text.replace(/^&\S+\s*/, '').replace(/^!\S*\s*/, '');
    if (rest === '' && this.tokens[this.pos] && this.tokens[this.pos]!.indent > parentIndent) return this.block(parentIndent);
    if (rest.startsWith('*')) {
      if (!this.warnedAlias) this.warn(`line ${line}: aliases (${rest.split(/\s/)[0]}) are not followed: read as null`);
      this.warnedAlias = true;
      return null;
    }
    if (/^[|>][-+0-9]*$/.test(rest)) {
      const lines: string[] = [];
      while (this.tokens[this.pos] && this.tokens[this.pos]!.indent > parentIndent) lines.push(this.tokens[this.pos++]!.text);
      return lines.join('\n');
    }
    const more = () => this.tokens[this.pos] && this.tokens[this.pos]!.indent > parentIndent;
    if (rest.startsWith('[') || rest.startsWith('{')) {
      while (flowDepth(rest) > 0 && more()) rest += ` ${this.tokens[this.pos++]!.text}`;
      return parseFlow(rest);
    }
    // A plain or quoted scalar may continue on more-indented lines (folded with spaces).
    while (more() && this.tokens[this.pos]!.text !== '-') rest += ` ${this.tokens[this.pos++]!.text}`;
    return scalar(rest);
  }
}

export function parseYaml(text: string): YamlResult {
  const warnings: string[] = [];
  const warn = (message: string) => {
    if (warnings.length < 5) warnings.push(message);
  };
  const documents = tokenize(text, warn).map(({ tokens }) => ({
    value: new DocumentParser(tokens, warn).parse(),
    line: tokens[0]!.line,
  }));
  return { documents, warnings };
}
