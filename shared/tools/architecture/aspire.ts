// .NET Aspire app hosts: the resources a `DistributedApplication` builder adds (`AddProject<T>("name")`,
// `AddPostgres("pg")`, `AddContainer("name", "image")`...) and the `WithReference(x)` links between
// them, each with its line. Read from the C# text as written: resources added in loops or helper
// methods are not seen.
import { basename } from 'node:path';

export interface AspireResource {
  /** The variable the resource is assigned to, if any. */
  variable: string | null;
  name: string;
  /** The hosting call: AddProject, AddPostgres, AddContainer... */
  call: string;
  /** The project type (`Projects.Api`) or the container image. */
  detail: string | null;
  line: number;
}

export interface AspireReference {
  /** The resource whose statement holds the WithReference. */
  from: AspireResource;
  /** The variable referenced. */
  target: string;
  line: number;
}

export interface AspireHost {
  file: string;
  resources: AspireResource[];
  references: AspireReference[];
  /** Each variable and the resource it stands for (`var db = pg.AddDatabase("db")` stands for pg). */
  variables: Map<string, AspireResource>;
  /** Variables that stand for a database on a server (`var db = pg.AddDatabase("catalogdb")`): the database's name. */
  databases: Map<string, string>;
}

/** A C# file worth reading for an Aspire app host, by its name. */
export const mayBeAspireHost = (path: string): boolean => /\.cs$/.test(path) && (/^(Program|AppHost)\.cs$/.test(basename(path)) || /AppHost/i.test(path));

/** The file without comments, with the same length and lines (so offsets still give lines). */
function blankComments(text: string): string {
  // Strings first, so that the `//` of "http://..." is not taken for a comment.
  return text.replace(/@?"(?:[^"\\\n]|\\.)*"|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (m) => (m.startsWith('/') ? m.replace(/[^\n]/g, ' ') : m));
}

const ADD = /(\b\w+|\))\s*\.\s*(Add\w+)\s*(?:<\s*([\w.]+)\s*>)?\s*\(\s*(?:name\s*:\s*)?"([^"]+)"(?:\s*,\s*(?:image\s*:\s*)?"([^"]+)")?/g;
const ASSIGN = /^\s*(?:var|[\w.<>]+)\s+(\w+)\s*=/;
const REFERENCE = /\.\s*WithReference\s*\(\s*(\w+)/g;

export function readAspireHost(file: string, source: string): AspireHost | null {
  if (!source.includes('DistributedApplication')) return null;
  const text = blankComments(source);
  const builder = /\bvar\s+(\w+)\s*=\s*DistributedApplication\s*\.\s*CreateBuilder/.exec(text)?.[1] ?? 'builder';
  const lineStarts = [0];
  for (let i = 0; i < text.length; i += 1) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const variables = new Map<string, AspireResource>();
  const databases = new Map<string, string>();
  const host: AspireHost = { file, resources: [], references: [], variables, databases };
  let start = 0;
  for (const statement of text.split(';')) {
    const offset = start;
    start += statement.length + 1;
    const variable = ASSIGN.exec(statement)?.[1] ?? null;
    let owner: AspireResource | null = null;
    for (const m of statement.matchAll(ADD)) {
      const [, receiver, call, type, name, second] = m;
      if (call === 'AddDatabase' && receiver !== builder) {
        // A database of a server added before: the variable stands for that server.
        // On a server's variable (`pg.AddDatabase`), or chained on the server just added (`builder.AddPostgres("pg").AddDatabase("db")`).
        const server: AspireResource | null = variables.get(receiver!) ?? owner;
        if (server) owner = server;
        if (server && variable) databases.set(variable, name!);
        continue;
      }
      if (receiver !== builder || call === 'AddParameter' || call === 'AddConnectionString') continue;
      if (owner) continue;
      const resource: AspireResource = { variable, name: name!, call: call!, detail: type ?? (call === 'AddContainer' ? (second ?? null) : null), line: lineOf(offset + m.index!) };
      host.resources.push(resource);
      owner = resource;
    }
    if (variable && owner) variables.set(variable, owner);
    // `api.WithReference(db)` on a resource added in an earlier statement.
    const receiver = /^\s*(\w+)\s*\./.exec(statement)?.[1];
    const from = owner ?? (receiver ? variables.get(receiver) : undefined);
    if (!from) continue;
    for (const m of statement.matchAll(REFERENCE)) host.references.push({ from, target: m[1]!, line: lineOf(offset + m.index!) });
  }
  return host.resources.length ? host : null;
}
