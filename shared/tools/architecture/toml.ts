// A small TOML reader for manifests (pyproject.toml, Cargo.toml). It never throws: a line it cannot
// read is skipped with a warning. Read: tables, arrays of tables, dotted and quoted keys, the four
// string forms, arrays over several lines, inline tables, booleans, integers and floats. Dates and
// other bare values are kept as their text.

export type TomlValue = string | number | boolean | TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

export interface TomlResult {
  table: TomlTable;
  warnings: string[];
}

export function isTable(value: TomlValue | undefined): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class TomlError extends Error {}

class Reader {
  i = 0;
  constructor(readonly text: string) {}

  get c(): string | undefined {
    return this.text[this.i];
  }

  lineNumber(at: number): number {
    return this.text.slice(0, at).split('\n').length;
  }

  /** Spaces and tabs; with `newlines`, also line breaks and comments. */
  skip(newlines: boolean): void {
    for (;;) {
      const c = this.c;
      if (c === ' ' || c === '\t' || (newlines && (c === '\n' || c === '\r'))) this.i += 1;
      else if (newlines && c === '#') this.toLineEnd();
      else return;
    }
  }

  toLineEnd(): void {
    const end = this.text.indexOf('\n', this.i);
    this.i = end === -1 ? this.text.length : end;
  }

  expect(s: string): void {
    if (!this.text.startsWith(s, this.i)) throw new TomlError(`expected ${s}`);
    this.i += s.length;
  }

  string(): string {
    const t = this.text;
    for (const delim of ['"""', "'''"]) {
      if (t.startsWith(delim, this.i)) {
        const end = t.indexOf(delim, this.i + 3);
        if (end === -1) throw new TomlError('unterminated multi-line string');
        let body = t.slice(this.i + 3, end).replace(/^\r?\n/, '');
        this.i = end + 3;
        while (t[this.i] === delim[0]) {
          body += delim[0];
          this.i += 1;
        }
        return delim === '"""' ? unescape(body.replace(/\\\r?\n\s*/g, '')) : body;
      }
    }
    const q = this.c!;
    let j = this.i + 1;
    while (j < t.length && t[j] !== q && t[j] !== '\n') j += q === '"' && t[j] === '\\' ? 2 : 1;
    if (t[j] !== q) throw new TomlError('unterminated string');
    const body = t.slice(this.i + 1, j);
    this.i = j + 1;
    return q === '"' ? unescape(body) : body;
  }

  key(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.skip(false);
      if (this.c === '"' || this.c === "'") parts.push(this.string());
      else {
        const m = /^[A-Za-z0-9_-]+/.exec(this.text.slice(this.i, this.i + 200));
        if (!m) throw new TomlError('expected a key');
        parts.push(m[0]);
        this.i += m[0].length;
      }
      this.skip(false);
      if (this.c !== '.') return parts;
      this.i += 1;
    }
  }

  value(): TomlValue {
    const c = this.c;
    if (c === '"' || c === "'") return this.string();
    if (c === '[') {
      this.i += 1;
      const items: TomlValue[] = [];
      for (this.skip(true); this.c !== ']'; this.skip(true)) {
        if (this.c === undefined) throw new TomlError('unterminated array');
        items.push(this.value());
        this.skip(true);
        if (this.c === ',') this.i += 1;
        else if (this.c !== ']') throw new TomlError('expected , or ] in an array');
      }
      this.i += 1;
      return items;
    }
    if (c === '{') {
      this.i += 1;
      const table: TomlTable = {};
      for (this.skip(false); this.c !== '}'; this.skip(false)) {
        if (this.c === undefined || this.c === '\n') throw new TomlError('unterminated inline table');
        const key = this.key();
        this.expect('=');
        this.skip(false);
        assign(table, key, this.value());
        this.skip(false);
        if (this.c === ',') this.i += 1;
        else if (this.c !== '}') throw new TomlError('expected , or } in an inline table');
      }
      this.i += 1;
      return table;
    }
    const m = /^[^,\]}\s#][^,\]}\n#]*/.exec(this.text.slice(this.i, this.i + 200));
    if (!m) throw new TomlError('expected a value');
    this.i += m[0].length;
    const raw = m[0].trim();
    if (raw === 'true' || raw === 'false') return raw === 'true';
    if (/^[+-]?(\d[\d_]*)(\.\d[\d_]*)?([eE][+-]?\d+)?$/.test(raw)) return Number(raw.replace(/_/g, ''));
    return raw;
  }
}

function unescape(body: string): string {
  const escapes: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' };
  return body.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_m, e: string) =>
    e.length > 1 ? String.fromCodePoint(parseInt(e.slice(1), 16)) : (escapes[e] ?? e),
  );
}

/** The table at a dotted path under `root`, created when missing (the last table of an array of tables). */
function tableAt(root: TomlTable, path: string[]): TomlTable {
  let table = root;
  for (const part of path) {
    let next = table[part];
    if (Array.isArray(next)) next = next[next.length - 1];
    if (!isTable(next)) {
      next = {};
      table[part] = next;
    }
    table = next;
  }
  return table;
}

function assign(table: TomlTable, key: string[], value: TomlValue): void {
  tableAt(table, key.slice(0, -1))[key[key.length - 1]!] = value;
}

export function parseToml(text: string): TomlResult {
  const root: TomlTable = {};
  const warnings: string[] = [];
  const reader = new Reader(text);
  let current = root;
  for (reader.skip(true); reader.c !== undefined; reader.skip(true)) {
    const start = reader.i;
    try {
      if (text.startsWith('[[', reader.i)) {
        reader.i += 2;
        const path = reader.key();
        reader.expect(']]');
        const parent = tableAt(root, path.slice(0, -1));
        const last = path[path.length - 1]!;
        const list = Array.isArray(parent[last]) ? (parent[last] as TomlValue[]) : [];
        parent[last] = list;
        current = {};
        list.push(current);
      } else if (reader.c === '[') {
        reader.i += 1;
        const path = reader.key();
        reader.expect(']');
        current = tableAt(root, path);
      } else {
        const key = reader.key();
        reader.expect('=');
        reader.skip(false);
        assign(current, key, reader.value());
      }
      reader.skip(false);
      if (reader.c === '#') reader.toLineEnd();
      else if (reader.c !== undefined && reader.c !== '\n' && reader.c !== '\r') throw new TomlError('unexpected text after a value');
    } catch (error) {
      if (!(error instanceof TomlError)) throw error;
      if (warnings.length < 5) warnings.push(`line ${reader.lineNumber(start)}: ${error.message}: line skipped`);
      reader.toLineEnd();
    }
  }
  return { table: root, warnings };
}
