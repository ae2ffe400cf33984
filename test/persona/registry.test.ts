// The menu read from the persona folders: numbers, aliases and the featured persona checked across
// folders, errors naming the file and the field.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHelp } from '../../cli/create.js';
import { helpTexts } from '../../cli/help.js';
import { packageRoot } from '../../shared/package-root.js';
import { validateBuiltin } from '../../shared/persona/load.js';
import { checkedAtBuild } from '../../shared/persona/prevalidated.js';
import { builtinMenu, canonicalId, checkPersonaFolders, loadMenu } from '../../shared/persona/registry.js';
import { useTempDir } from '../support/tmp.js';

const newDir = useTempDir('dp-registry-');

type Folder = { id: string; menu: number; aliases?: string[]; featured?: boolean; levels?: Record<string, unknown> };

/** A personas/ folder holding these persona.json files (only what the menu reads; the rest is checked on loading). */
function personas(folders: Folder[]): string {
  const dir = join(newDir(), 'personas');
  for (const folder of folders) {
    mkdirSync(join(dir, folder.id), { recursive: true });
    writeFileSync(join(dir, folder.id, 'persona.json'), JSON.stringify({ displayName: folder.id.toUpperCase(), ...folder }));
  }
  return dir;
}

const three: Folder[] = [
  { id: 'qa', menu: 2, aliases: ['tester'], featured: true },
  { id: 'ops', menu: 1, levels: { junior: {}, senior: {} } },
  { id: 'writer', menu: 3 },
];

describe('the menu from the persona folders', () => {
  it('is in menu order with aliases and level names; folders without persona.json are not personas', () => {
    const dir = personas(three);
    mkdirSync(join(dir, '_custom'));
    expect(loadMenu(dir)).toEqual([
      { number: 1, id: 'ops', displayName: 'OPS', aliases: [], levels: ['junior', 'senior'], featured: false },
      { number: 2, id: 'qa', displayName: 'QA', aliases: ['tester'], levels: [], featured: true },
      { number: 3, id: 'writer', displayName: 'WRITER', aliases: [], levels: [], featured: false },
    ]);
  });

  it('finds a persona by id, alias or menu number', () => {
    const menu = loadMenu(personas(three));
    expect(['qa', 'tester', '2', ' Tester '].map((name) => canonicalId(name, menu))).toEqual(['qa', 'qa', 'qa', 'qa']);
    expect(canonicalId('4', menu)).toBeUndefined();
  });

  it('ships the built-in personas with their numbers and aliases', () => {
    expect(builtinMenu().map((entry) => `${entry.number} ${[entry.id, ...entry.aliases].join('|')}`)).toEqual([
      '1 developer|dev',
      '2 software-architect|architect|sa',
      '3 data-scientist|ds',
      '4 pm|product-manager',
      '5 designer',
    ]);
  });

  it.each<[string, Folder[], string]>([
    ['a number twice', [...three, { id: 'extra', menu: 3 }], 'personas/writer/persona.json: menu: 3 is the number of personas/extra/persona.json too'],
    ['a gap', [three[0]!, three[1]!, { id: 'writer', menu: 4 }], 'personas/writer/persona.json: menu: 4 leaves a gap: the 3 personas are numbered 1 to 3'],
    ['an alias twice', [...three.slice(0, 2), { id: 'writer', menu: 3, aliases: ['tester'] }], 'personas/writer/persona.json: aliases: "tester" is an alias in personas/qa/persona.json'],
    ['an alias that is another persona\'s id', [...three.slice(0, 2), { id: 'writer', menu: 3, aliases: ['ops'] }], 'personas/writer/persona.json: aliases: "ops" is the id of personas/ops/persona.json'],
    ['two featured', [...three.slice(0, 2), { id: 'writer', menu: 3, featured: true }], 'personas/writer/persona.json: featured: personas/qa/persona.json is featured already; only one persona is'],
    ['none featured', three.map((folder) => ({ ...folder, featured: false })), 'no persona in personas/ is featured'],
    ['a number that is not one', [...three.slice(0, 2), { id: 'writer', menu: 2.5 }], 'personas/writer/persona.json: menu: must be a whole number'],
  ])('refuses %s, naming the file and the field', (_what, folders, message) => {
    expect(() => loadMenu(personas(folders))).toThrow(message);
  });

  it('refuses a persona.json whose id is not its folder name', () => {
    const dir = personas(three);
    writeFileSync(join(dir, 'writer', 'persona.json'), JSON.stringify({ id: 'author', displayName: 'Author', menu: 3 }));
    expect(() => loadMenu(dir)).toThrow('personas/writer/persona.json: id: must be "writer" (the folder name), got "author"');
  });

  it('help texts list, number and exemplify the personas of the folders', () => {
    const help = helpTexts(loadMenu(personas(three)));
    expect(help['']).toContain('apply personas (ops, qa|tester, writer, or your own)');
    expect(help['']).toContain("raise the ops persona's skill level one step");
    // Examples name personas without levels, from the featured one on.
    expect(help['persona add']).toContain('A persona with skill levels (ops) needs --level\njunior|senior (asked');
    expect(help['persona add']).toContain('Example: dp persona add qa writer\n         dp persona add ops --level senior --dry-run');
    expect(help['persona remove']).toContain('Example: dp persona remove qa');
    expect(help.profile).toContain('The interactive menu, as yo dp: 1) OPS 2) QA 3) WRITER, several at once, or your own.');
  });

  it('the shipped help names the built-in personas as it always has, listed in menu order', () => {
    const help = helpTexts(builtinMenu());
    expect(help['']).toContain(`  persona add <persona>...     apply personas (developer|dev, software-architect|architect|sa,
                               data-scientist|ds, pm|product-manager, designer, or your own)`);
    expect(help['']).toContain("graduate                     raise the developer persona's skill level one step");
    expect(help['']).toContain('Example: dp persona add data-scientist\n');
    expect(help['persona add']).toContain(`Apply personas; the ones already active stay. A persona with skill levels (developer) needs --level
beginner|l1|l2|expert (asked on a terminal; remembered in .yo-rc.json).`);
    expect(help['persona add']).toContain('      --level <level>       skill level for the developer persona\n');
    expect(help['persona add']).toMatch(/Example: dp persona add data-scientist pm\n {9}dp persona add developer --level l1 --dry-run$/);
    expect(help['persona remove']).toMatch(/Example: dp persona remove designer$/);
    expect(help['persona switch']).toMatch(/Example: dp persona switch software-architect$/);
    expect(help.profile).toContain(`The interactive menu, as yo dp: 1) Software Developer 2) Software Architect 3) Data Scientist
4) Product Manager 5) Designer, several at once, or your own. Needs a terminal.`);
    expect(help.graduate).toContain(`Raise the developer persona's skill level one step (beginner -> l1 -> l2 -> expert) after
confirmation: its guidance, commands and permissions change with the level.`);
    expect(createHelp(builtinMenu())).toContain(`  --persona <ids>   developer (dev), software-architect (architect, sa), data-scientist (ds),
                    pm (product-manager), designer; several comma-separated
  --level <level>   the developer persona's skill level: beginner, l1, l2, expert`);
    expect(createHelp(builtinMenu())).toMatch(/Example: npx create-dp-project my-model --persona data-scientist$/);
  });
});

describe('the built-in personas as the build validated them', () => {
  it('are what validating each persona.json gives, so a command can take them without loading the schema', () => {
    const dir = join(packageRoot(), 'personas');
    const checked = checkPersonaFolders(dir);
    expect(checked.map((c) => c.menu.id).sort()).toEqual(builtinMenu().map((entry) => entry.id).sort());
    for (const { text, menu, persona } of checked) {
      expect(checkedAtBuild(text), menu.id).toEqual({ text, menu, persona });
      expect(persona).toEqual(validateBuiltin(JSON.parse(text), menu.id));
    }
    expect(checkedAtBuild(`${checked[0]!.text} `)).toBeUndefined();
  });

  it('an invalid persona.json fails the build, naming the file and the field', () => {
    const pm = JSON.parse(readFileSync(join(packageRoot(), 'personas', 'pm', 'persona.json'), 'utf8'));
    const dir = personas([{ ...pm, menu: 1, featured: true, workflows: ['product/extra'] }]);
    expect(() => checkPersonaFolders(dir)).toThrow('personas/pm/persona.json: workflows[0]: names are lower-case letters, digits and single dashes');
  });
});
