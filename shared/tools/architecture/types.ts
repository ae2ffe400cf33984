// The facts analyze_architecture reports (the --json shape; docs/tools/analyze-architecture.md).
// A fact that could not be determined is null or absent, never a guess.

/** One file found by the walk: its path relative to the root, with forward slashes. */
export interface WalkedFile {
  path: string;
}

export interface ScanFacts {
  /** Files seen by the walk (within the caps). */
  files: number;
  directories: number;
  /** Distinct files whose content was read (manifests, and files that may hold routes, models, schemas or services), each once. */
  filesRead: number;
  maxFiles: number;
  maxFileBytes: number;
  /** True when the walk stopped at maxFiles (files, or directories listed): the deepest files were not seen. */
  fileCapHit: boolean;
  /** Files larger than maxFileBytes that would have been read (first 50). */
  skippedLargeFiles: string[];
  skippedLargeCount: number;
  /** Directories left out because of their name or the top-level .gitignore (first 50). */
  skippedDirectories: string[];
  skippedDirectoryCount: number;
  /** Patterns read from the top-level .gitignore; null when there is none. */
  gitignorePatterns: number | null;
  /** Symbolic links are not followed. */
  symlinksSkipped: number;
}

export interface DependencyCounts {
  /** Every dependency the manifest declares; null when it could not be counted (e.g. a computed list). */
  total: number | null;
  /** Given only where the manifest itself separates runtime from development dependencies. */
  runtime: number | null;
  dev: number | null;
  /** Counts per group exactly as the manifest names them (dependencies, devDependencies, [dev-dependencies], ...). */
  groups: Record<string, number>;
}

export interface Stack {
  manifest: string;
  ecosystem: 'npm' | 'python' | 'go' | 'cargo' | 'maven' | 'gradle' | 'bundler' | 'composer' | 'nuget';
  language: string;
  /** The project name the manifest declares, null when it declares none. */
  name: string | null;
  dependencies: DependencyCounts;
  /** Well-known frameworks and libraries among the declared dependencies. */
  frameworks: string[];
  /** What the reader could not interpret in this manifest. */
  notes: string[];
}

export interface LanguageCount {
  language: string;
  files: number;
}

export interface DirectoryEntry {
  /** Relative path with a trailing slash; '.' is the root. */
  path: string;
  depth: number;
  /** Files under this directory, recursively, within the walk. */
  files: number;
}

export interface ComposeService {
  name: string;
  line: number | null;
  image: string | null;
  /** The build context (`build: ./api` or `build.context`); null when the service is not built here. */
  build: string | null;
  /** As written: "8080:80", "127.0.0.1:5432:5432/tcp", or "published:target" from the long syntax. */
  ports: string[];
  dependsOn: string[];
}

export interface ComposeFile {
  file: string;
  services: ComposeService[];
}

export interface KubernetesResource {
  file: string;
  line: number;
  apiVersion: string;
  kind: string;
  name: string | null;
  namespace: string | null;
  /** Container images of workloads (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod...). */
  images: string[];
}

export interface ProcfileProcess {
  file: string;
  line: number;
  name: string;
  command: string;
}

export interface Services {
  compose: ComposeFile[];
  kubernetes: KubernetesResource[];
  procfile: ProcfileProcess[];
}

export interface Route {
  /**
   * GET, POST, ...; ANY when every method reaches the handler; PAGE for a page (Next.js); MOUNT for a
   * prefix under which other routes are mounted; RESOURCES for a Rails/Laravel resource; null when the
   * method could not be read.
   */
  method: string | null;
  /** The full path: the route's own path joined to the prefixes of the routers, groups and classes it is mounted under. */
  path: string;
  /** The compose service whose build context holds the route's file; absent when none does. */
  owner?: string;
  framework: string;
  file: string;
  line: number;
  /** Where each part of the path came from, outermost first; absent when the path is the route's own, written in one place. */
  parts?: RoutePart[];
}

export interface RoutePart {
  path: string;
  file: string;
  line: number;
}

export interface Model {
  name: string;
  /** The compose service whose build context holds the model's file; absent when none does. */
  owner?: string;
  kind: string;
  file: string;
  line: number;
  /** Every declaration of the same entity (an ORM class, migration SQL in several dialects...), when there is more than one; the first is the model's own file:line. */
  sources?: Array<{ name: string; kind: string; file: string; line: number }>;
}

export interface SchemaFile {
  file: string;
  kind: 'openapi' | 'swagger' | 'graphql' | 'protobuf' | 'prisma';
  /** The spec version (OpenAPI/Swagger), null otherwise or when absent. */
  version: string | null;
  /** OpenAPI/Swagger info.title. */
  title: string | null;
  /** Prisma: the datasource provider; Protobuf: the package and services. */
  detail: string | null;
  /** OpenAPI: paths; GraphQL: type definitions; Protobuf: messages; Prisma: models. */
  count: number | null;
  countOf: string | null;
}

export interface Diagram {
  mermaid: string;
  nodes: number;
  edges: number;
}

/** Where a fact comes from; `line` is null only where the file does not give one (a manifest's dependency list). */
export interface Evidence {
  file: string;
  line: number | null;
}

export interface GraphNode {
  /** Unique in the graph: `compose:<file>#<service>`, `k8s:<Kind>/<name>`, `aspire:<name>`, `external:<host>`. */
  id: string;
  name: string;
  /** `service`: something the repository runs; the others are stores and brokers, by what their image or address names. */
  role: 'service' | 'database' | 'cache' | 'broker' | 'search';
  /** Where it is declared: compose, kubernetes, aspire, or an address in an environment variable (env). */
  source: 'compose' | 'kubernetes' | 'aspire' | 'env';
  /** The compose service, the Kubernetes kind, the Aspire call (AddProject, AddPostgres...). */
  kind: string;
  /** PostgreSQL, Redis, Kafka... for a store or broker; null otherwise. */
  technology: string | null;
  file: string;
  line: number | null;
  /** Other places the same node is declared (Kubernetes base, overlays, releases, Helm copies). */
  alsoIn: Evidence[];
}

export interface GraphEdge {
  from: string;
  to: string;
  /** What links them: compose depends_on/links, a Kubernetes Service selector, an environment variable, an Aspire WithReference, a gRPC client. */
  via: 'depends_on' | 'links' | 'selector' | 'env' | 'reference' | 'grpc';
  /** The variable, selector or call that makes the link (a name, never a value). */
  detail: string | null;
  /** The database named on a store's server: the path of a `postgres://host/app` address, an Aspire `AddDatabase("app")`; null when not named. */
  database: string | null;
  file: string;
  line: number;
}

export interface Finding {
  /**
   * Graph: shared-store, shared-server, store, broker-users, brokers, no-broker, network. Operations:
   * single-replica-stateful, single-replica, no-readinessProbe, no-livenessProbe, no-limits, no-healthcheck.
   */
  kind: string;
  text: string;
  evidence: Evidence[];
}

export interface ServiceGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Facts about the whole graph: a store used by several services, no message broker, shared networks. */
  findings: Finding[];
}

export interface OperationalFact {
  /** replicas, readinessProbe, livenessProbe, startupProbe, requests, limits, autoscaler, disruptionBudget, restartPolicy, persistentVolume, healthcheck, restart. */
  fact: string;
  /** As written (a probe as its handler: `httpGet /healthz:8080`; resources as `cpu=100m, memory=64Mi`). */
  value: string;
  /** The container it belongs to, for per-container facts. */
  container: string | null;
  file: string;
  line: number;
}

export interface Workload {
  name: string;
  /** Deployment, StatefulSet, DaemonSet..., or `compose` for a compose service. */
  kind: string;
  namespace: string | null;
  /** Every place this workload is declared (base, overlays, releases, Helm copies); the first is where `facts` start. */
  copies: Evidence[];
  /** PostgreSQL, Redis... when its image is a store or a broker. */
  technology: string | null;
  facts: OperationalFact[];
  /** Facts looked for in every copy and stated in none (readinessProbe, livenessProbe, limits...). */
  missing: string[];
}

export interface Operations {
  workloads: Workload[];
  /** Single-replica stateful services, workloads without probes or limits... each with its evidence. */
  findings: Finding[];
}

export interface ArchitectureFacts {
  tool: 'analyze_architecture';
  root: string;
  scan: ScanFacts;
  languages: LanguageCount[];
  stacks: Stack[];
  directories: { depth: number; entries: DirectoryEntry[] };
  services: Services;
  routes: Route[];
  models: Model[];
  schemas: SchemaFile[];
  /** Services, stores and brokers and what links them, each edge with its evidence. */
  graph: ServiceGraph;
  /** Replicas, probes, resources, autoscalers, disruption budgets and restart policies per workload. */
  operations: Operations;
  /** Lists cut at the result cap: name -> how many were found in all. */
  truncated: Record<string, number>;
  diagram: Diagram;
  /** What could not be read or interpreted, in one line each. */
  notes: string[];
}
