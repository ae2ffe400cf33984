// Readers for line-oriented manifests: requirements*.txt, setup.py, go.mod, Gemfile, build.gradle(.kts).
// These are read by pattern, not executed: a list computed in code is reported as not countable.
import { addGroup, allNames, countGroups, groups, pythonRequirementName, type ManifestReading } from './manifest-counts.js';

export function readRequirements(text: string): ManifestReading {
  const names: string[] = [];
  const includes: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') continue;
    const include = /^(?:-r|--requirement|-c|--constraint)\s*=?\s*(\S+)/.exec(line);
    if (include) {
      includes.push(include[1]!);
      continue;
    }
    const editable = /^(?:-e|--editable)\s+(\S+)/.exec(line);
    if (editable) {
      names.push(/#egg=([\w.-]+)/.exec(editable[1]!)?.[1]?.toLowerCase() ?? editable[1]!);
      continue;
    }
    if (line.startsWith('-')) continue; // --index-url, --hash-only lines...
    const name = pythonRequirementName(line);
    if (name) names.push(name);
  }
  const g = groups();
  addGroup(g, 'requirements', names, 'other');
  return {
    name: null,
    dependencies: countGroups(g, false),
    names: allNames(g),
    notes: includes.length ? [`includes ${includes.join(', ')} (not followed; counted where found)`] : [],
  };
}

/** String literals in a Python list body: `'a>=1', "b"` -> [a>=1, b]. */
function pythonStrings(body: string): string[] {
  return [...body.matchAll(/(['"])((?:(?!\1).)*)\1/g)].map((m) => m[2]!);
}

export function readSetupPy(text: string): ManifestReading {
  const notes: string[] = [];
  const g = groups();
  const literal = /install_requires\s*=\s*\[([\s\S]*?)\]/.exec(text);
  let counted = false;
  if (literal) {
    addGroup(g, 'install_requires', pythonStrings(literal[1]!).map(pythonRequirementName).filter((n): n is string => n !== null), 'runtime');
    counted = true;
  } else if (/install_requires\s*=/.test(text)) notes.push('install_requires is computed in code: not counted');
  const extras = /extras_require\s*=\s*\{([\s\S]*?)\}/.exec(text);
  if (extras) {
    for (const m of extras[1]!.matchAll(/(['"])([\w.-]+)\1\s*:\s*\[([\s\S]*?)\]/g)) {
      addGroup(g, `extras_require.${m[2]}`, pythonStrings(m[3]!).map(pythonRequirementName).filter((n): n is string => n !== null), 'other');
    }
  }
  const counts = countGroups(g, counted);
  if (!counted) {
    counts.total = null;
    if (!literal && !notes.length) notes.push('no install_requires list found');
  }
  return { name: /\bname\s*=\s*['"]([^'"]+)['"]/.exec(text)?.[1] ?? null, dependencies: counts, names: allNames(g), notes };
}

export function readGoMod(text: string): ManifestReading {
  const direct: string[] = [];
  const indirect: string[] = [];
  const add = (spec: string) => {
    const m = /^\s*(\S+)\s+\S+(.*)$/.exec(spec);
    if (!m) return;
    (/\/\/\s*indirect/.test(m[2]!) ? indirect : direct).push(m[1]!);
  };
  let inBlock = false;
  for (const line of text.split(/\r?\n/)) {
    if (inBlock) {
      if (/^\s*\)/.test(line)) inBlock = false;
      else if (!/^\s*(\/\/|$)/.test(line)) add(line);
    } else if (/^\s*require\s*\(\s*$/.test(line)) inBlock = true;
    else {
      const single = /^\s*require\s+(.+)$/.exec(line);
      if (single) add(single[1]!);
    }
  }
  const g = groups();
  addGroup(g, 'require', direct, 'other');
  if (indirect.length) addGroup(g, 'require (indirect)', indirect, 'other');
  const goVersion = /^\s*go\s+(\S+)/m.exec(text)?.[1];
  return {
    name: /^\s*module\s+(\S+)/m.exec(text)?.[1] ?? null,
    dependencies: countGroups(g, false),
    names: direct,
    notes: goVersion ? [`go ${goVersion}`] : [],
  };
}

export function readGemfile(text: string): ManifestReading {
  const g = groups();
  const devGroups = new Set(['development', 'test']);
  const stack: Array<string[] | null> = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    const group = /^group\s+(.+?)\s+do\b/.exec(line);
    if (group) {
      stack.push([...group[1]!.matchAll(/:(\w+)|['"](\w+)['"]/g)].map((m) => m[1] ?? m[2]!));
      continue;
    }
    if (/\bdo(\s*\|[^|]*\|)?$/.test(line)) {
      stack.push(null);
      continue;
    }
    if (/^end\b/.test(line)) {
      stack.pop();
      continue;
    }
    const gem = /^gem\s+['"]([^'"]+)['"](.*)$/.exec(line);
    if (!gem) continue;
    const inline = /\bgroups?:\s*(\[[^\]]*\]|:\w+)/.exec(gem[2]!);
    const names = inline ? [...inline[1]!.matchAll(/:(\w+)/g)].map((m) => m[1]!) : [...stack].reverse().find((s) => s !== null) ?? ['default'];
    const label = names.join(', ');
    addGroup(g, label, [gem[1]!], names.some((n) => devGroups.has(n)) ? 'dev' : 'runtime');
  }
  return { name: null, dependencies: countGroups(g, true), names: allNames(g), notes: [] };
}

const GRADLE_CONFIGURATIONS =
  /^\s*(implementation|api|compileOnly|runtimeOnly|compile|runtime|developmentOnly|annotationProcessor|kapt|ksp|(?:test|androidTest|debug|release)\w*)\s*[(\s]\s*(.*)$/;

export function readGradle(text: string): ManifestReading {
  const g = groups();
  const body = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  let depth = 0;
  let inDependencies = -1;
  for (const line of body.split(/\r?\n/)) {
    if (inDependencies < 0 && /^\s*dependencies\s*\{/.test(line)) inDependencies = depth;
    else if (inDependencies >= 0 && depth === inDependencies + 1) {
      const m = GRADLE_CONFIGURATIONS.exec(line);
      if (m) {
        const coordinate = /['"]([^'":]+):([^'":]+)(?::[^'"]*)?['"]/.exec(m[2]!);
        const name = coordinate ? coordinate[2]! : m[2]!.replace(/[()'"]/g, '').trim();
        const configuration = m[1]!;
        const role = /^(test|androidTest)/.test(configuration) ? 'dev' : /^(annotationProcessor|kapt|ksp)$/.test(configuration) ? 'other' : 'runtime';
        addGroup(g, configuration, [name], role);
      }
    }
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    if (inDependencies >= 0 && depth <= inDependencies) inDependencies = -1;
  }
  const plugins = [...body.matchAll(/\bid\s*\(?\s*['"]([\w.-]+)['"]/g)].map((m) => m[1]!);
  const names = allNames(g);
  if (plugins.includes('org.springframework.boot')) names.push('spring-boot');
  const kotlin = plugins.some((p) => p.startsWith('org.jetbrains.kotlin')) || /\bkotlin\s*\(/.test(body);
  return {
    name: null,
    dependencies: countGroups(g, true),
    names,
    notes: ['counted by configuration name inside dependencies { }; version-catalog entries (libs.x) are counted by their alias'],
    language: kotlin ? 'Kotlin' : 'Java',
  };
}
