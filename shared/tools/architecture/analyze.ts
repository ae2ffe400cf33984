// One analysis: walk the repository within the caps, read the manifests, then read each file that may
// hold services, routes, models or schemas once, and assemble the facts.
import { readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { buildDiagram } from './diagram.js';
import { directoryMap, topModules } from './directories.js';
import { modelsIn, mayHoldModels } from './models.js';
import { mayHoldRoutes, routesIn } from './routes.js';
import { mayBeSchema, schemaIn } from './schemas.js';
import { isComposeFile, isProcfile, mayHoldKubernetes, readCompose, readKubernetes, readProcfile } from './services.js';
import { countLanguages, manifestKind, readStack } from './stacks.js';
import type { ArchitectureFacts, Model, Route, SchemaFile, Services, Stack } from './types.js';
import { walk } from './walk.js';

export interface AnalyzeOptions {
  root: string;
  maxFiles: number;
  maxFileBytes: number;
  depth: number;
}

export const DEFAULTS = { maxFiles: 20_000, maxFileBytes: 1024 * 1024, depth: 2 } as const;
/** Longest list of routes or models in a report; the count of all is kept in `truncated`. */
export const RESULT_CAP = 1000;
const LISTED = 50;

const byPlace = <T extends { file: string; line: number }>(a: T, b: T) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line);

export function analyzeRepository({ root, maxFiles, maxFileBytes, depth }: AnalyzeOptions): ArchitectureFacts {
  const walked = walk(root, maxFiles);
  const paths = walked.files.map((f) => f.path);
  const notes: string[] = [];
  const skippedLarge: string[] = [];
  let skippedLargeCount = 0;
  let filesRead = 0;

  /** A file's text, or null when it is over the size cap, binary or unreadable. */
  const read = (path: string): string | null => {
    try {
      const size = statSync(join(root, path)).size;
      if (size > maxFileBytes) {
        skippedLargeCount += 1;
        if (skippedLarge.length < LISTED) skippedLarge.push(path);
        return null;
      }
      const text = readFileSync(join(root, path), 'utf8');
      filesRead += 1;
      return text.slice(0, 8000).includes('\0') ? null : text;
    } catch {
      notes.push(`${path}: could not be read`);
      return null;
    }
  };

  const stacks: Stack[] = [];
  for (const path of paths.filter((p) => manifestKind(p))) {
    const text = read(path);
    if (text === null) {
      notes.push(`${path}: manifest not read (over the size cap or unreadable)`);
      continue;
    }
    try {
      const stack = readStack(path, text);
      if (stack) stacks.push(stack);
    } catch (error) {
      notes.push(`${path}: could not be analysed (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  const nextProjects = stacks
    .filter((s) => s.ecosystem === 'npm' && s.frameworks.includes('Next.js'))
    .map((s) => (posix.dirname(s.manifest) === '.' ? '' : posix.dirname(s.manifest)))
    .sort((a, b) => b.length - a.length);

  const services: Services = { compose: [], kubernetes: [], procfile: [] };
  let routes: Route[] = [];
  let models: Model[] = [];
  const schemas: SchemaFile[] = [];
  const scanFile = (path: string, text: string): void => {
    const yaml = /\.ya?ml$/.test(path);
    if (isComposeFile(path)) {
      const { compose, warnings } = readCompose(path, text);
      if (compose) services.compose.push(compose);
      notes.push(...warnings.map((w) => `${path}: ${w}`));
    } else if (yaml && mayHoldKubernetes(path, text)) {
      const { resources, warnings } = readKubernetes(path, text);
      services.kubernetes.push(...resources);
      if (resources.length) notes.push(...warnings.map((w) => `${path}: ${w}`));
      if (resources.length && text.includes('{{')) {
        notes.push(`${path}: template syntax ({{ }}) is not rendered: a templated value is reported as written when quoted, otherwise as null`);
      }
    }
    if (isProcfile(path)) services.procfile.push(...readProcfile(path, text));
    routes.push(...routesIn(path, text, nextProjects));
    models.push(...modelsIn(path, text));
    if (mayBeSchema(path)) {
      const schema = schemaIn(path, text);
      if (schema) schemas.push(schema);
    }
  };

  for (const path of paths) {
    // mayBeSchema covers every YAML file (compose files, Kubernetes manifests, OpenAPI documents).
    if (!mayHoldRoutes(path) && !mayHoldModels(path) && !mayBeSchema(path) && !isProcfile(path)) continue;
    const text = read(path);
    if (text === null) continue;
    try {
      scanFile(path, text);
    } catch (error) {
      // A pathological file (nesting deep enough to exhaust the stack...) costs its own facts, not the report.
      notes.push(`${path}: could not be analysed (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  const truncated: Record<string, number> = {};
  routes = routes.sort(byPlace);
  models = models.sort(byPlace);
  if (routes.length > RESULT_CAP) {
    truncated.routes = routes.length;
    routes = routes.slice(0, RESULT_CAP);
  }
  if (models.length > RESULT_CAP) {
    truncated.models = models.length;
    models = models.slice(0, RESULT_CAP);
  }
  if (walked.gitignore && walked.gitignore.negations > 0) {
    notes.push(`.gitignore: ${walked.gitignore.negations} negated pattern(s) (!pattern) not applied: what they re-include stays excluded`);
  }
  for (const dir of walked.unreadable) notes.push(`${dir}/: could not be listed`);

  return {
    tool: 'analyze_architecture',
    root,
    scan: {
      files: paths.length,
      directories: walked.directories.length,
      filesRead,
      maxFiles,
      maxFileBytes,
      fileCapHit: walked.fileCapHit,
      skippedLargeFiles: skippedLarge,
      skippedLargeCount,
      skippedDirectories: walked.skippedDirectories,
      skippedDirectoryCount: walked.skippedDirectoryCount,
      gitignorePatterns: walked.gitignore ? walked.gitignore.rules.length : null,
      symlinksSkipped: walked.symlinksSkipped,
    },
    languages: countLanguages(paths),
    stacks,
    directories: { depth, entries: directoryMap(paths, walked.directories, depth) },
    services,
    routes,
    models,
    schemas,
    truncated,
    diagram: buildDiagram(services, topModules(paths)),
    notes,
  };
}
