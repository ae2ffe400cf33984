// Readers for manifests with a structure: package.json, composer.json, pyproject.toml, Cargo.toml,
// pom.xml and *.csproj/*.fsproj.
import { addGroup, allNames, countGroups, groups, pythonRequirementName, unreadable, type ManifestReading } from './manifest-counts.js';
import { parse as parseToml, TomlError, type TomlTable, type TomlValue } from 'smol-toml';

function jsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function keysOf(value: unknown): string[] {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value) : [];
}

export function readPackageJson(text: string): ManifestReading {
  const pkg = jsonObject(text);
  if (!pkg) return unreadable('not valid JSON: dependencies not counted');
  const g = groups();
  const present = (key: string) => key in pkg;
  if (present('dependencies')) addGroup(g, 'dependencies', keysOf(pkg.dependencies), 'runtime');
  if (present('optionalDependencies')) addGroup(g, 'optionalDependencies', keysOf(pkg.optionalDependencies), 'runtime');
  if (present('devDependencies')) addGroup(g, 'devDependencies', keysOf(pkg.devDependencies), 'dev');
  if (present('peerDependencies')) addGroup(g, 'peerDependencies', keysOf(pkg.peerDependencies), 'other');
  const notes: string[] = [];
  const workspaces = Array.isArray(pkg.workspaces) ? pkg.workspaces : keysOf(pkg.workspaces).length ? (pkg.workspaces as { packages?: unknown }).packages : undefined;
  if (Array.isArray(workspaces)) notes.push(`workspaces: ${workspaces.map(String).join(', ')}`);
  const names = allNames(g);
  return {
    name: typeof pkg.name === 'string' ? pkg.name : null,
    dependencies: countGroups(g, true),
    names,
    notes,
    language: names.includes('typescript') ? 'TypeScript' : 'JavaScript',
  };
}

export function readComposerJson(text: string): ManifestReading {
  const pkg = jsonObject(text);
  if (!pkg) return unreadable('not valid JSON: dependencies not counted');
  const isPackage = (name: string) => name.includes('/');
  const g = groups();
  if ('require' in pkg) addGroup(g, 'require', keysOf(pkg.require).filter(isPackage), 'runtime');
  if ('require-dev' in pkg) addGroup(g, 'require-dev', keysOf(pkg['require-dev']).filter(isPackage), 'dev');
  const platform = [...keysOf(pkg.require), ...keysOf(pkg['require-dev'])].filter((n) => !isPackage(n));
  return {
    name: typeof pkg.name === 'string' ? pkg.name : null,
    dependencies: countGroups(g, true),
    names: allNames(g),
    notes: platform.length ? [`platform requirements not counted: ${platform.join(', ')}`] : [],
  };
}

/** A TOML manifest's top table, or the one-line reason it could not be read (with its line). */
function tomlTable(text: string): TomlTable | string {
  try {
    // asNeeded: an integer past 2^53 is still valid TOML (a BigInt), not a reason to refuse the file.
    return parseToml(text, { integersAsBigInt: 'asNeeded' });
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const reason = error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
    return `not valid TOML (line ${error.line}: ${reason}): dependencies not counted`;
  }
}

// A TOML date is an object too: a table is an object that is neither an array nor a date.
const isTable = (value: TomlValue | undefined): value is TomlTable => typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
const strings = (value: TomlValue | undefined): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const tableAt = (table: TomlTable, ...path: string[]): TomlTable | undefined => {
  let current: TomlValue | undefined = table;
  for (const key of path) current = isTable(current) ? current[key] : undefined;
  return isTable(current) ? current : undefined;
};
const requirementNames = (list: string[]) => list.map(pythonRequirementName).filter((n): n is string => n !== null);

export function readPyproject(text: string): ManifestReading {
  const table = tomlTable(text);
  if (typeof table === 'string') return unreadable(table);
  const notes: string[] = [];
  const g = groups();
  const project = tableAt(table, 'project');
  const poetry = tableAt(table, 'tool', 'poetry');
  if (project) {
    if (strings(project.dynamic).includes('dependencies')) notes.push('project.dependencies are dynamic (computed at build time): not counted');
    else addGroup(g, 'project.dependencies', requirementNames(strings(project.dependencies)), 'runtime');
    for (const [extra, list] of Object.entries(tableAt(project, 'optional-dependencies') ?? {})) {
      addGroup(g, `project.optional-dependencies.${extra}`, requirementNames(strings(list)), 'other');
    }
  }
  for (const [group, list] of Object.entries(tableAt(table, 'dependency-groups') ?? {})) {
    addGroup(g, `dependency-groups.${group}`, requirementNames(strings(list)), 'dev');
  }
  if (poetry) {
    const deps = tableAt(poetry, 'dependencies');
    if (deps) addGroup(g, 'tool.poetry.dependencies', Object.keys(deps).filter((n) => n !== 'python').map((n) => n.toLowerCase()), 'runtime');
    const dev = tableAt(poetry, 'dev-dependencies');
    if (dev) addGroup(g, 'tool.poetry.dev-dependencies', Object.keys(dev).map((n) => n.toLowerCase()), 'dev');
    for (const [group, body] of Object.entries(tableAt(poetry, 'group') ?? {})) {
      const list = isTable(body) ? tableAt(body, 'dependencies') : undefined;
      if (list) addGroup(g, `tool.poetry.group.${group}.dependencies`, Object.keys(list).map((n) => n.toLowerCase()), group === 'main' ? 'runtime' : 'dev');
    }
  }
  for (const tool of ['pdm', 'uv']) {
    const dev = tableAt(table, 'tool', tool);
    if (!dev) continue;
    const value = dev['dev-dependencies'];
    if (Array.isArray(value)) addGroup(g, `tool.${tool}.dev-dependencies`, requirementNames(strings(value)), 'dev');
    else if (isTable(value)) for (const [group, list] of Object.entries(value)) addGroup(g, `tool.${tool}.dev-dependencies.${group}`, requirementNames(strings(list)), 'dev');
  }
  const declares = Object.keys(g.all).length > 0;
  if (!declares && !project && !poetry) notes.push('declares no project or dependencies (tool settings only)');
  const name = typeof project?.name === 'string' ? project.name : typeof poetry?.name === 'string' ? poetry.name : null;
  const counts = countGroups(g, declares);
  if (!declares) counts.total = null;
  return { name, dependencies: counts, names: allNames(g), notes };
}

export function readCargoToml(text: string): ManifestReading {
  const table = tomlTable(text);
  if (typeof table === 'string') return unreadable(table);
  const notes: string[] = [];
  const g = groups();
  const section = (t: TomlTable, key: string) => Object.keys(tableAt(t, key) ?? {});
  if (tableAt(table, 'dependencies')) addGroup(g, 'dependencies', section(table, 'dependencies'), 'runtime');
  if (tableAt(table, 'dev-dependencies')) addGroup(g, 'dev-dependencies', section(table, 'dev-dependencies'), 'dev');
  if (tableAt(table, 'build-dependencies')) addGroup(g, 'build-dependencies', section(table, 'build-dependencies'), 'other');
  for (const [target, body] of Object.entries(tableAt(table, 'target') ?? {})) {
    if (!isTable(body)) continue;
    if (tableAt(body, 'dependencies')) addGroup(g, `target.${target}.dependencies`, section(body, 'dependencies'), 'runtime');
    if (tableAt(body, 'dev-dependencies')) addGroup(g, `target.${target}.dev-dependencies`, section(body, 'dev-dependencies'), 'dev');
  }
  const workspace = tableAt(table, 'workspace');
  if (workspace) {
    const members = strings(workspace.members);
    notes.push(`workspace${members.length ? ` members: ${members.join(', ')}` : ''}`);
    if (tableAt(workspace, 'dependencies')) notes.push(`workspace.dependencies: ${section(workspace, 'dependencies').length} shared versions (not counted)`);
  }
  const pkg = tableAt(table, 'package');
  return { name: typeof pkg?.name === 'string' ? pkg.name : null, dependencies: countGroups(g, true), names: allNames(g), notes };
}

/** Text of the first `<tag>` element in `xml`. */
const element = (xml: string, tag: string): string | null => new RegExp(`<${tag}>\\s*([^<]*?)\\s*</${tag}>`).exec(xml)?.[1] ?? null;

export function readPomXml(text: string): ManifestReading {
  const xml = text.replace(/<!--[\s\S]*?-->/g, '');
  const notes: string[] = [];
  const managed = /<dependencyManagement>[\s\S]*?<\/dependencyManagement>/.test(xml);
  if (managed) notes.push('dependencyManagement entries (versions only) not counted');
  // Plugins' own dependencies (inside <build>) and profiles are not the project's dependencies.
  const body = xml
    .replace(/<parent>[\s\S]*?<\/parent>/g, '')
    .replace(/<dependencyManagement>[\s\S]*?<\/dependencyManagement>/g, '')
    .replace(/<build>[\s\S]*?<\/build>/g, '')
    .replace(/<profiles>[\s\S]*?<\/profiles>/g, '');
  const g = groups();
  for (const match of body.matchAll(/<dependency>([\s\S]*?)<\/dependency>/g)) {
    const scope = element(match[1]!, 'scope') ?? 'compile';
    addGroup(g, scope, [element(match[1]!, 'artifactId') ?? '?'], scope === 'test' ? 'dev' : 'runtime');
  }
  const modules = [...(/<modules>([\s\S]*?)<\/modules>/.exec(body)?.[1] ?? '').matchAll(/<module>\s*([^<]+?)\s*<\/module>/g)].map((m) => m[1]!);
  if (modules.length) notes.push(`modules: ${modules.join(', ')}`);
  const names = allNames(g);
  if (/<parent>[\s\S]*?spring-boot[\s\S]*?<\/parent>/.test(xml)) names.push('spring-boot');
  return {
    name: element(body.replace(/<dependencies>[\s\S]*?<\/dependencies>/g, ''), 'artifactId'),
    dependencies: countGroups(g, true),
    names,
    notes,
    language: names.some((n) => n.startsWith('kotlin')) ? 'Kotlin' : 'Java',
  };
}

export function readDotnetProject(text: string, fileName: string): ManifestReading {
  const packages = [...text.matchAll(/<PackageReference\b[^>]*\bInclude="([^"]+)"/g)].map((m) => m[1]!);
  const projects = [...text.matchAll(/<ProjectReference\b/g)].length;
  const sdk = /<Project\b[^>]*\bSdk="([^"]+)"/.exec(text)?.[1];
  const g = groups();
  addGroup(g, 'PackageReference', packages, 'other');
  const notes = projects ? [`${projects} project reference(s) to other projects in the solution`] : [];
  return {
    name: fileName.replace(/\.(cs|fs|vb)proj$/, ''),
    dependencies: countGroups(g, false),
    names: sdk ? [...packages, sdk] : packages,
    notes,
    language: fileName.endsWith('.fsproj') ? 'F#' : fileName.endsWith('.vbproj') ? 'Visual Basic' : 'C#',
  };
}
