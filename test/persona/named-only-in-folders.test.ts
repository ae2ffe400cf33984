// Adding a built-in persona is one folder (personas/<id>/) and one 7-line generator (generators/<id>/):
// no other source names a built-in persona. The scan reads the strings of the code (comments may name
// them: they explain); the standalone tools (shared/tools) know nothing of personas, and their "dev"
// is a dependency group.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { builtinMenu } from '../../shared/persona/registry.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return path === join(root, 'shared', 'tools') ? [] : sources(path);
    return name.endsWith('.ts') ? [relative(root, path)] : [];
  });
}

/** The text of every string and template literal part in a file, with its line. */
function strings(file: string): Array<{ line: number; text: string }> {
  const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const found: Array<{ line: number; text: string }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) {
      found.push({ line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: node.text });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const menu = builtinMenu();
const names = menu.flatMap((entry) => [entry.id, ...entry.aliases, entry.displayName]);
/** A name as a word of its own: `dev` is not in `developer`, `/dev/null` or `dev-dependencies`. */
const asWord = (name: string) => new RegExp(`(?<![\\w/-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`);

describe('the built-in personas are named only in their folders and generators', () => {
  it('no string in cli/, shared/ or generators/ names one, but its own generator its id', () => {
    const files = [...sources(join(root, 'cli')), ...sources(join(root, 'shared')), ...sources(join(root, 'generators'))];
    expect(files).toContain('cli/help.ts');
    const found = files.flatMap((file) => {
      const own = menu.find((entry) => file === `generators/${entry.id}/index.ts`)?.id;
      return strings(file).flatMap(({ line, text }) =>
        names.filter((name) => name !== own && asWord(name).test(text)).map((name) => `${file}:${line} names "${name}"`),
      );
    });
    expect(found).toEqual([]);
  });

  it('each persona folder has a generator of at most 7 lines that names only its id', () => {
    for (const { id } of menu) {
      const file = `generators/${id}/index.ts`;
      expect(existsSync(join(root, file)), file).toBe(true);
      expect(readFileSync(join(root, file), 'utf8').trimEnd().split('\n').length, file).toBeLessThanOrEqual(7);
      expect(strings(file).map((s) => s.text)).toEqual(['../../shared/yeoman/persona-generator.js', id]);
    }
  });
});
