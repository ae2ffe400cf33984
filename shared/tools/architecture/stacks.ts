// Stacks: which manifests the repository holds (at any depth the walk reached), what each declares,
// and the languages of its files by extension.
import { basename } from 'node:path';
import { frameworksFor } from './frameworks.js';
import type { ManifestReading } from './manifest-counts.js';
import { readCargoToml, readComposerJson, readDotnetProject, readPackageJson, readPomXml, readPyproject } from './manifests-structured.js';
import { readGemfile, readGoMod, readGradle, readRequirements, readSetupPy } from './manifests-text.js';
import type { LanguageCount, Stack } from './types.js';

interface ManifestKind {
  ecosystem: Stack['ecosystem'];
  language: string;
  read: (text: string, fileName: string) => ManifestReading;
}

/** The manifest kind of a file, by its name; undefined for other files. */
export function manifestKind(path: string): ManifestKind | undefined {
  const name = basename(path);
  if (name === 'package.json') return { ecosystem: 'npm', language: 'JavaScript', read: readPackageJson };
  if (name === 'pyproject.toml') return { ecosystem: 'python', language: 'Python', read: readPyproject };
  if (/^requirements.*\.txt$/.test(name) || (/(^|\/)requirements\/[^/]+\.txt$/.test(path))) return { ecosystem: 'python', language: 'Python', read: readRequirements };
  if (name === 'setup.py') return { ecosystem: 'python', language: 'Python', read: readSetupPy };
  if (name === 'go.mod') return { ecosystem: 'go', language: 'Go', read: readGoMod };
  if (name === 'Cargo.toml') return { ecosystem: 'cargo', language: 'Rust', read: readCargoToml };
  if (name === 'pom.xml') return { ecosystem: 'maven', language: 'Java', read: readPomXml };
  if (name === 'build.gradle' || name === 'build.gradle.kts') return { ecosystem: 'gradle', language: 'Java', read: readGradle };
  if (name === 'Gemfile') return { ecosystem: 'bundler', language: 'Ruby', read: readGemfile };
  if (name === 'composer.json') return { ecosystem: 'composer', language: 'PHP', read: readComposerJson };
  if (/\.(cs|fs|vb)proj$/.test(name)) return { ecosystem: 'nuget', language: 'C#', read: readDotnetProject };
  return undefined;
}

export function readStack(path: string, text: string): Stack | undefined {
  const kind = manifestKind(path);
  if (!kind) return undefined;
  const reading = kind.read(text, basename(path));
  return {
    manifest: path,
    ecosystem: kind.ecosystem,
    language: reading.language ?? kind.language,
    name: reading.name,
    dependencies: reading.dependencies,
    frameworks: frameworksFor(kind.ecosystem, reading.names),
    notes: reading.notes,
  };
}

const LANGUAGES: Record<string, string> = {
  js: 'JavaScript',
  mjs: 'JavaScript',
  cjs: 'JavaScript',
  jsx: 'JavaScript',
  ts: 'TypeScript',
  mts: 'TypeScript',
  cts: 'TypeScript',
  tsx: 'TypeScript',
  py: 'Python',
  go: 'Go',
  rs: 'Rust',
  java: 'Java',
  kt: 'Kotlin',
  kts: 'Kotlin',
  scala: 'Scala',
  rb: 'Ruby',
  php: 'PHP',
  cs: 'C#',
  fs: 'F#',
  swift: 'Swift',
  c: 'C',
  h: 'C/C++ header',
  cc: 'C++',
  cpp: 'C++',
  hpp: 'C++',
  m: 'Objective-C',
  dart: 'Dart',
  ex: 'Elixir',
  exs: 'Elixir',
  erl: 'Erlang',
  clj: 'Clojure',
  hs: 'Haskell',
  lua: 'Lua',
  r: 'R',
  sql: 'SQL',
  sh: 'Shell',
  bash: 'Shell',
  vue: 'Vue',
  svelte: 'Svelte',
  tf: 'Terraform',
  proto: 'Protocol Buffers',
  graphql: 'GraphQL',
  gql: 'GraphQL',
  prisma: 'Prisma',
};

/** The language of a source file by its extension; undefined for data, docs and config. */
export function languageOf(path: string): string | undefined {
  const dot = path.lastIndexOf('.');
  if (dot <= path.lastIndexOf('/')) return undefined;
  return LANGUAGES[path.slice(dot + 1).toLowerCase()];
}

export function countLanguages(paths: readonly string[]): LanguageCount[] {
  const counts = new Map<string, number>();
  for (const path of paths) {
    if (/\.d\.ts$/.test(path)) continue;
    const language = languageOf(path);
    if (language) counts.set(language, (counts.get(language) ?? 0) + 1);
  }
  return [...counts].map(([language, files]) => ({ language, files })).sort((a, b) => b.files - a.files || a.language.localeCompare(b.language));
}
