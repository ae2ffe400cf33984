// The small YAML, TOML and .gitignore readers: the subset they promise, and what they say about the rest.
import { describe, expect, it } from 'vitest';
import { isIgnored, parseGitignore } from '../../../shared/tools/architecture/gitignore.js';
import { parseToml } from '../../../shared/tools/architecture/toml.js';
import { lineOfKey, parseYaml, type YamlMap } from '../../../shared/tools/architecture/yaml.js';

describe('parseYaml', () => {
  it('reads block mappings and sequences, `- key: value` items and sequences at their key’s indentation', () => {
    const { documents, warnings } = parseYaml(
      ['services:', '  web:', '    ports:', '    - "80:80"', '    - 443', '    depends_on:', '      - api', '  api:', '    image: node:20  # comment', ''].join('\n'),
    );
    expect(warnings).toEqual([]);
    expect(documents[0]!.value).toEqual({ services: { web: { ports: ['80:80', '443'], depends_on: ['api'] }, api: { image: 'node:20' } } });
  });

  it('keeps every scalar a string, reads quotes, nulls, flow collections over several lines and the line of each key', () => {
    const text = [
      'a: "x # not a comment"',
      "b: 'it''s'",
      'c: ~',
      'd:',
      'e: [1, "two, three", {k: v}]',
      'f: {x: [a,',
      '    b], y: z}',
      'g: true',
      'h: plain text',
      '  continued here',
      '',
    ].join('\n');
    const doc = parseYaml(text).documents[0]!.value as YamlMap;
    expect(doc).toEqual({ a: 'x # not a comment', b: "it's", c: null, d: null, e: ['1', 'two, three', { k: 'v' }], f: { x: ['a', 'b'], y: 'z' }, g: 'true', h: 'plain text continued here' });
    expect(lineOfKey(doc, 'e')).toBe(5);
    expect(lineOfKey(doc, 'h')).toBe(9);
  });

  it('splits documents, and keeps block scalars only approximately', () => {
    const { documents } = parseYaml(['kind: A', '---', 'kind: B', 'script: |', '  echo one', '  echo two', 'after: 1', '...', ''].join('\n'));
    expect(documents.map((d) => d.line)).toEqual([1, 3]);
    expect(documents[1]!.value).toEqual({ kind: 'B', script: 'echo one\necho two', after: '1' });
  });

  it('drops anchors and tags, reads aliases as null and skips merge keys, with a warning for each', () => {
    const { documents, warnings } = parseYaml(['base: &base', '  image: x', 'web:', '  <<: *base', '  tag: !!str 5', 'other: *base', ''].join('\n'));
    expect(documents[0]!.value).toEqual({ base: { image: 'x' }, web: { tag: '5' }, other: null });
    expect(warnings).toEqual(['line 4: aliases (*base) are not followed: read as null', 'line 4: merge keys (<<) are not followed']);
  });

  it('never throws on malformed input, and says where it stopped', () => {
    const broken = parseYaml('a:\n    b: 1\n  c: 2\nd: 3\n');
    expect(broken.documents[0]!.value).toEqual({ a: { b: '1' } });
    expect(broken.warnings).toEqual(['line 3: unexpected indentation: the rest of this document was not read']);
    const tabs = parseYaml('a:\n\tb: 1\n');
    expect(tabs.documents[0]!.value).toEqual({ a: { b: '1' } });
    expect(tabs.warnings).toEqual(['line 2: a tab in the indentation (YAML allows spaces only): read as one space']);
    expect(parseYaml('').documents).toEqual([]);
    expect(parseYaml(']]]: [[[\n- {').documents).toHaveLength(1);
  });
});

describe('parseToml', () => {
  it('reads tables, dotted and quoted keys, arrays over lines with comments, inline tables and strings', () => {
    const { table, warnings } = parseToml(
      [
        '# Cargo',
        '[package]',
        'name = "svc"',
        "version = '0.1.0'",
        '',
        '[dependencies]',
        'tokio = { version = "1", features = ["full"] }',
        'serde.workspace = true',
        '"quoted-key" = """',
        'multi"""',
        '',
        "[target.'cfg(unix)'.dependencies]",
        'nix = "0.28"',
        '',
        '[[bin]]',
        'name = "a"',
        '[[bin]]',
        'name = "b"',
        '[workspace]',
        'members = [',
        '  "crates/a", # first',
        '  "crates/b",',
        ']',
        'n = 1_000',
        '',
      ].join('\n'),
    );
    expect(warnings).toEqual([]);
    expect(table).toEqual({
      package: { name: 'svc', version: '0.1.0' },
      dependencies: { tokio: { version: '1', features: ['full'] }, serde: { workspace: true }, 'quoted-key': 'multi' },
      target: { 'cfg(unix)': { dependencies: { nix: '0.28' } } },
      bin: [{ name: 'a' }, { name: 'b' }],
      workspace: { members: ['crates/a', 'crates/b'], n: 1000 },
    });
  });

  it('skips a line it cannot read with a warning, and goes on', () => {
    const { table, warnings } = parseToml('a = 1\nthis is not toml\nb = "two"\n');
    expect(table).toEqual({ a: 1, b: 'two' });
    expect(warnings).toEqual(['line 2: expected =: line skipped']);
  });
});

describe('parseGitignore', () => {
  const ignore = parseGitignore(['# comment', '', '/build-output/', 'logs/', '*.tmp', 'docs/**/generated', '!keep.tmp', 'secret?.txt', ''].join('\n'));

  it.each([
    ['build-output', true, true],
    ['src/build-output', true, false],
    ['logs', true, true],
    ['a/b/logs', true, true],
    ['logs', false, false],
    ['x/y.tmp', false, true],
    ['docs/generated', true, true],
    ['docs/a/b/generated', true, true],
    ['secret1.txt', false, true],
    ['secret12.txt', false, false],
  ])('%s (directory: %s) ignored: %s', (path, directory, expected) => {
    expect(isIgnored(ignore, path, directory)).toBe(expected);
  });

  it('counts negations, which it does not apply', () => {
    expect(ignore.negations).toBe(1);
    expect(ignore.rules.map((r) => r.pattern)).toEqual(['/build-output/', 'logs/', '*.tmp', 'docs/**/generated', 'secret?.txt']);
  });
});
