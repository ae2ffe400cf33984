// Schema files: OpenAPI/Swagger documents (YAML or JSON), GraphQL SDL, Protocol Buffers and Prisma schemas.
import { isMap, readYaml, type YamlValue } from './yaml-documents.js';
import type { SchemaFile } from './types.js';

const OPENAPI_JSON_NAME = /(^|\/)[^/]*(openapi|swagger|api-?docs?|spec)[^/]*\.json$/i;

export function mayBeSchema(path: string): boolean {
  return /\.(graphql|graphqls|gql|proto|prisma|ya?ml)$/.test(path) || OPENAPI_JSON_NAME.test(path);
}

function openapi(file: string, doc: unknown): SchemaFile | null {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return null;
  const spec = doc as Record<string, unknown>;
  const version = spec.openapi ?? spec.swagger;
  if (typeof version !== 'string' && typeof version !== 'number') return null;
  const info = spec.info as Record<string, unknown> | undefined;
  const paths = spec.paths;
  return {
    file,
    kind: 'openapi' in spec ? 'openapi' : 'swagger',
    version: String(version),
    title: typeof info?.title === 'string' ? info.title : null,
    detail: null,
    count: typeof paths === 'object' && paths !== null ? Object.keys(paths).length : null,
    countOf: typeof paths === 'object' && paths !== null ? 'paths' : null,
  };
}

function count(text: string, pattern: RegExp): number {
  return [...text.matchAll(pattern)].length;
}

export function schemaIn(path: string, text: string): SchemaFile | null {
  if (/\.ya?ml$/.test(path)) {
    if (!/^(openapi|swagger):/m.test(text)) return null;
    const doc: YamlValue | undefined = readYaml(text)[0]?.value;
    return isMap(doc) ? openapi(path, doc) : null;
  }
  if (path.endsWith('.json')) {
    if (!OPENAPI_JSON_NAME.test(path) || !/"(openapi|swagger)"\s*:/.test(text)) return null;
    try {
      return openapi(path, JSON.parse(text));
    } catch {
      return null;
    }
  }
  const base = { file: path, version: null, title: null };
  if (/\.(graphql|graphqls|gql)$/.test(path)) {
    return { ...base, kind: 'graphql', detail: null, count: count(text, /^\s*(type|input|interface|enum|union|scalar)\s+\w+/gm), countOf: 'type definitions' };
  }
  if (path.endsWith('.proto')) {
    const pkg = /^\s*package\s+([\w.]+)\s*;/m.exec(text)?.[1];
    const services = count(text, /^\s*service\s+\w+/gm);
    const detail = [pkg ? `package ${pkg}` : null, `${services} service(s)`].filter(Boolean).join(', ');
    return { ...base, kind: 'protobuf', detail, count: count(text, /^\s*message\s+\w+/gm), countOf: 'messages' };
  }
  if (path.endsWith('.prisma')) {
    const provider = /datasource\s+\w+\s*\{[^}]*?\bprovider\s*=\s*"([^"]+)"/.exec(text)?.[1];
    return { ...base, kind: 'prisma', detail: provider ? `datasource provider: ${provider}` : null, count: count(text, /^\s*model\s+\w+\s*\{/gm), countOf: 'models' };
  }
  return null;
}
