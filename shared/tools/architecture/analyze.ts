// One analysis: walk the repository within the caps, read the manifests, then read each file that may
// hold services, routes, models or schemas once, and assemble the facts.
import { readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { buildDiagram } from './diagram.js';
import { buildGraph } from './graph.js';
import { collectGraphFacts, mayHoldGraphFacts, newGraphSources, type GraphSources } from './graph-sources.js';
import { kubernetesNotes } from './k8s-workloads.js';
import { readOperations } from './operations.js';
import { directoryMap, topModules } from './directories.js';
import { unreadFrameworkNotes } from './frameworks.js';
import { mergeModels, modelsIn, mayHoldModels } from './models.js';
import { ownerFinder, withOwners } from './owners.js';
import { mayHoldRoutes, resolveRoutes, routeFactsIn, type FileRoutes } from './routes.js';
import { mayBeSchema, schemaIn } from './schemas.js';
import { isComposeFile, isProcfile, isTemplate, mayHoldKubernetes, readCompose, readKubernetes, readProcfile } from './services.js';
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
const failure = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Reads files under the root within the size cap, counting what it read and what it skipped. */
class FileReader {
  /** Files whose content was read from disk (each is read at most once: see `texts` below). */
  filesRead = 0;
  skippedLarge: string[] = [];
  skippedLargeCount = 0;

  constructor(
    private readonly root: string,
    private readonly maxFileBytes: number,
    private readonly notes: string[],
  ) {}

  /** A file's text, or null when it is over the size cap, binary or unreadable. */
  read(path: string): string | null {
    try {
      const size = statSync(join(this.root, path)).size;
      if (size > this.maxFileBytes) {
        this.skippedLargeCount += 1;
        if (this.skippedLarge.length < LISTED) this.skippedLarge.push(path);
        return null;
      }
      const text = readFileSync(join(this.root, path), 'utf8');
      this.filesRead += 1;
      return text.slice(0, 8000).includes('\0') ? null : text;
    } catch {
      this.notes.push(`${path}: could not be read`);
      return null;
    }
  }
}

/**
 * The stacks, one per manifest. Each manifest's text (null when it could not be read) goes into
 * `texts`, so that the scan does not read a manifest that is also a source file (setup.py) again.
 */
function readManifests(paths: readonly string[], reader: FileReader, texts: Map<string, string | null>, notes: string[]): Stack[] {
  const stacks: Stack[] = [];
  for (const path of paths.filter((p) => manifestKind(p))) {
    const text = reader.read(path);
    texts.set(path, text);
    if (text === null) {
      notes.push(`${path}: manifest not read (over the size cap or unreadable)`);
      continue;
    }
    try {
      const stack = readStack(path, text);
      if (stack) stacks.push(stack);
    } catch (error) {
      notes.push(`${path}: could not be analysed (${failure(error)})`);
    }
  }
  return stacks;
}

/** The directories ('' = root) of the npm projects that use Next.js, deepest first. */
function nextProjectsOf(stacks: readonly Stack[]): string[] {
  return stacks
    .filter((s) => s.ecosystem === 'npm' && s.frameworks.includes('Next.js'))
    .map((s) => (posix.dirname(s.manifest) === '.' ? '' : posix.dirname(s.manifest)))
    .sort((a, b) => b.length - a.length);
}

interface Found {
  services: Services;
  /** What each file says about routes; joined across files (prefixes, mounts) at the end. */
  routes: FileRoutes[];
  models: Model[];
  schemas: SchemaFile[];
  /** What the service graph and the operational facts are built from. */
  graph: GraphSources;
}

/** Services, routes, models and schemas in one file's text (added to `found`). */
function scanFile(path: string, text: string, nextProjects: readonly string[], found: Found, notes: string[]): void {
  const { services } = found;
  const yaml = /\.ya?ml$/.test(path);
  if (isComposeFile(path)) {
    const { compose, warnings } = readCompose(path, text, found.graph.compose);
    if (compose) services.compose.push(compose);
    notes.push(...warnings.map((w) => `${path}: ${w}`));
  } else if (yaml && mayHoldKubernetes(path, text)) {
    const resources = readKubernetes(path, text, found.graph.kubernetes);
    services.kubernetes.push(...resources);
    // One note for all the templates (kubernetesNotes), not one per file.
    if (resources.length && isTemplate(text)) found.graph.templates.push(path);
  }
  if (isProcfile(path)) services.procfile.push(...readProcfile(path, text));
  collectGraphFacts(path, text, found.graph);
  const routeFacts = routeFactsIn(path, text, nextProjects);
  if (routeFacts) found.routes.push(routeFacts);
  found.models.push(...modelsIn(path, text));
  if (mayBeSchema(path)) {
    const schema = schemaIn(path, text);
    if (schema) found.schemas.push(schema);
  }
}

/** Reads each file that may hold services, routes, models or schemas (a manifest's text from `texts`) and scans it. */
function scanFiles(paths: readonly string[], reader: FileReader, texts: ReadonlyMap<string, string | null>, nextProjects: readonly string[], notes: string[]): Found {
  const found: Found = { services: { compose: [], kubernetes: [], procfile: [] }, routes: [], models: [], schemas: [], graph: newGraphSources() };
  for (const path of paths) {
    // mayBeSchema covers every YAML file (compose files, Kubernetes manifests, OpenAPI documents).
    if (!mayHoldRoutes(path) && !mayHoldModels(path) && !mayBeSchema(path) && !isProcfile(path) && !mayHoldGraphFacts(path)) continue;
    const text = texts.has(path) ? (texts.get(path) ?? null) : reader.read(path);
    if (text === null) continue;
    try {
      scanFile(path, text, nextProjects, found, notes);
    } catch (error) {
      // A file that is not valid YAML, or pathological (an alias bomb...), costs its own facts, not the report.
      notes.push(`${path}: could not be analysed (${failure(error)})`);
    }
  }
  return found;
}

/** Routes and models in file:line order, at most RESULT_CAP of each; `truncated` holds how many there were when capped. */
function capResults(allRoutes: Route[], allModels: Model[]): { routes: Route[]; models: Model[]; truncated: Record<string, number> } {
  const truncated: Record<string, number> = {};
  const routes = allRoutes.sort(byPlace);
  const models = allModels.sort(byPlace);
  if (routes.length > RESULT_CAP) truncated.routes = routes.length;
  if (models.length > RESULT_CAP) truncated.models = models.length;
  return { routes: routes.slice(0, RESULT_CAP), models: models.slice(0, RESULT_CAP), truncated };
}

export function analyzeRepository({ root, maxFiles, maxFileBytes, depth }: AnalyzeOptions): ArchitectureFacts {
  const walked = walk(root, maxFiles);
  const paths = walked.files.map((f) => f.path);
  const notes: string[] = [];
  const reader = new FileReader(root, maxFileBytes, notes);
  const texts = new Map<string, string | null>();
  const stacks = readManifests(paths, reader, texts, notes);
  const { services, schemas, graph: sources, ...found } = scanFiles(paths, reader, texts, nextProjectsOf(stacks), notes);
  const graph = buildGraph({ ...sources, stacks });
  notes.push(...kubernetesNotes(sources.kubernetes, sources.templates, paths));
  const ownerOf = ownerFinder(services.compose);
  const { routes, models, truncated } = capResults(withOwners(resolveRoutes(found.routes), ownerOf), withOwners(mergeModels(found.models), ownerOf));
  notes.push(...unreadFrameworkNotes(stacks));
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
      filesRead: reader.filesRead,
      maxFiles,
      maxFileBytes,
      fileCapHit: walked.fileCapHit,
      skippedLargeFiles: reader.skippedLarge,
      skippedLargeCount: reader.skippedLargeCount,
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
    graph,
    operations: readOperations(sources.compose, sources.kubernetes),
    truncated,
    diagram: buildDiagram(services, topModules(paths), graph),
    notes,
  };
}
