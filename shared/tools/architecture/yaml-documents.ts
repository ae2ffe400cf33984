// YAML files (docker-compose, Kubernetes, OpenAPI) read with the `yaml` library, in the shape the
// detectors use: every scalar is text as written (`8080`, `3.0`, `true`) or null (`~`, `null`, empty),
// aliases and merge keys (`<<`) are followed, each document has its first line, and a mapping's keys
// their lines.
import { isMap as isMapNode, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';

export type YamlValue = string | null | YamlValue[] | YamlMap;
export interface YamlMap {
  [key: string]: YamlValue;
}

export interface YamlDocument {
  value: YamlValue;
  /** 1-based line of the document's first content line. */
  line: number;
  /** The 1-based line of each key of the mapping at `path` (empty when there is none). */
  keyLines(path: readonly string[]): Map<string, number>;
  /** The 1-based line of the key (or sequence item) at `path`; null when there is none. */
  lineAt(path: readonly (string | number)[]): number | null;
}

export function isMap(value: YamlValue | undefined): value is YamlMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The documents of a YAML file. A syntax error throws, naming the first one's line: such a file is
 * reported as not analysed rather than guessed at. `lenient` (a template, which is not YAML until
 * rendered) keeps what the library could read around the errors instead.
 */
export function readYaml(text: string, { lenient = false } = {}): YamlDocument[] {
  const lines = new LineCounter();
  const lineOf = (offset: number) => lines.linePos(offset).line;
  // The failsafe schema (+ null) keeps scalars as text: a port `8080` or a version `2.0` is reported as written.
  // logLevel 'error': the library's warnings (unknown tags...) would otherwise be printed on stderr.
  const parsed = parseAllDocuments(text, { schema: 'failsafe', customTags: ['null'], merge: true, lineCounter: lines, prettyErrors: false, logLevel: 'error' });
  // An empty file is an EmptyStream, not an array.
  const documents = Array.isArray(parsed) ? parsed : [];
  const errors = documents.flatMap((doc) => doc.errors);
  if (errors.length && !lenient) {
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more errors)` : '';
    throw new Error(`not valid YAML: line ${lineOf(errors[0]!.pos[0])}: ${errors[0]!.message}${more}`);
  }
  return documents
    .filter((doc) => doc.contents !== null)
    .map((doc) => ({
      // maxAliasCount refuses alias bombs (toJS throws), as an unknown alias does.
      value: doc.toJS({ maxAliasCount: 100 }) as YamlValue,
      line: lineOf(doc.contents!.range[0]),
      keyLines(path) {
        const node = doc.getIn(path, true);
        const found = new Map<string, number>();
        if (!isMapNode(node)) return found;
        for (const { key } of node.items) if (isScalar(key) && key.range) found.set(String(key.value), lineOf(key.range[0]));
        return found;
      },
      lineAt(path) {
        if (path.length === 0) return lineOf(doc.contents!.range[0]);
        const parent = doc.getIn(path.slice(0, -1), true);
        const last = path[path.length - 1];
        if (isMapNode(parent)) {
          const pair = parent.items.find(({ key }) => isScalar(key) && String(key.value) === String(last));
          const key = pair?.key;
          return isScalar(key) && key.range ? lineOf(key.range[0]) : null;
        }
        if (isSeq(parent) && typeof last === 'number') {
          const item = parent.items[last] as { range?: [number, number, number] } | undefined;
          return item?.range ? lineOf(item.range[0]) : null;
        }
        return null;
      },
    }));
}
