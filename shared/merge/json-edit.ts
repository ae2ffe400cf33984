// Format-preserving edits of a strict JSON text: insert, remove or replace one member of an object or
// array, touching no other byte. jsonc-parser gives the offsets; the edits are written here because
// its `modify` re-formats whole lines around an edit (an inline `["a"]` becomes multi-line) and its
// raw removal of a last array element is off by one. Inserting a member and removing it again gives
// back the same bytes: an insertion goes after the previous member (`,` + the container's own
// whitespace + member) or, in an empty container, fills it; a removal takes out exactly that.
import { applyEdits, findNodeAtLocation, getNodeValue, parseTree, type JSONPath, type Node, type ParseError } from 'jsonc-parser';

export type { JSONPath };

/** How the document writes whitespace, for new text. */
interface Style {
  eol: string;
  /** One level of indentation. */
  unit: string;
  /** Whitespace after `:`. */
  colon: string;
  /** Whitespace after `,` in a container written on one line. */
  comma: string;
}

// The tree of the last text parsed: syncing settings.json asks for nodes of the same text many times
// between two edits. Nothing here changes a tree; an edit gives a new text, parsed on its next use.
let lastParsed: { text: string; root: Node } | undefined;

function parseJson(text: string): Node {
  if (lastParsed?.text === text) return lastParsed.root;
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  if (!root || errors.length > 0) throw new Error('json-edit: the text is not strict JSON');
  lastParsed = { text, root };
  return root;
}

export function nodeAt(text: string, path: JSONPath): Node | undefined {
  return findNodeAtLocation(parseJson(text), path);
}

export function valueOf(node: Node): unknown {
  return getNodeValue(node);
}

/** The members of an object (property nodes) or the elements of an array. */
function members(container: Node): Node[] {
  return container.children ?? [];
}

function end(node: Node): number {
  return node.offset + node.length;
}

function edit(text: string, offset: number, length: number, content: string): string {
  return applyEdits(text, [{ offset, length, content }]);
}

/** The whitespace that starts the line holding `offset`. */
function lineIndent(text: string, offset: number): string {
  const start = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  return /^[ \t]*/.exec(text.slice(start, offset))![0];
}

function hasLineBreak(text: string): boolean {
  return /[\r\n]/.test(text);
}

function detectStyle(text: string, root: Node): Style {
  const eol = /\r\n|\n|\r/.exec(text)?.[0] ?? '\n';
  const indented = /[\r\n]([ \t]+)\S/.exec(text)?.[1];
  const unit = indented === undefined ? '  ' : indented.startsWith('\t') ? '\t' : indented;
  let colon: string | undefined;
  let comma: string | undefined;
  const visit = (node: Node): void => {
    const [first, second] = members(node);
    if (node.type === 'property' && colon === undefined && node.colonOffset !== undefined) {
      colon = text.slice(node.colonOffset + 1, node.children![1]!.offset);
    }
    if (node.type !== 'property' && first && second && comma === undefined && !hasLineBreak(text.slice(end(first), second.offset))) {
      comma = text.slice(end(first), second.offset).replace(',', '');
    }
    for (const child of members(node)) visit(child);
  };
  visit(root);
  return { eol, unit, colon: colon ?? ' ', comma: comma ?? colon ?? ' ' };
}

/** A value as new JSON text: on several lines (children at `indent` + unit), or on one line. */
function serialize(value: unknown, style: Style, indent: string, multiline: boolean): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const entries = Array.isArray(value) ? value.map((v) => ['', v] as const) : Object.entries(value).map(([k, v]) => [`${JSON.stringify(k)}:${style.colon}`, v] as const);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) return `${open}${close}`;
  if (!multiline) return `${open}${entries.map(([key, v]) => key + serialize(v, style, indent, false)).join(`,${style.comma}`)}${close}`;
  const inner = indent + style.unit;
  return `${open}${entries.map(([key, v]) => `${style.eol}${inner}${key}${serialize(v, style, inner, true)}`).join(',')}${style.eol}${indent}${close}`;
}

/** Whether a container lays its members out one per line. An empty one follows the document. */
function isMultiline(text: string, container: Node, root: Node): boolean {
  const first = members(container)[0];
  if (first) return hasLineBreak(text.slice(container.offset + 1, first.offset));
  return container === root || hasLineBreak(text.slice(root.offset, end(root)));
}

/**
 * Insert a member at `index` of the container at `path` (`key` for an object). The container must exist.
 */
export function insertMember(text: string, path: JSONPath, index: number, key: string | undefined, value: unknown): string {
  const root = parseJson(text);
  const container = findNodeAtLocation(root, path);
  if (!container || (container.type === 'object') !== (key !== undefined)) throw new Error(`json-edit: no container at ${path.join('.')}`);
  const style = detectStyle(text, root);
  const list = members(container);
  const multiline = isMultiline(text, container, root);
  const near = list[Math.max(0, Math.min(index, list.length) - 1)];
  const indent = near ? lineIndent(text, near.offset) : lineIndent(text, container.offset) + style.unit;
  const member = (key === undefined ? '' : `${JSON.stringify(key)}:${style.colon}`) + serialize(value, style, indent, multiline);
  if (list.length === 0) {
    const content = multiline ? `${style.eol}${indent}${member}${style.eol}${lineIndent(text, container.offset)}` : member;
    return edit(text, container.offset + 1, container.length - 2, content);
  }
  const separator = multiline ? `${style.eol}${indent}` : separatorOf(text, list) ?? style.comma;
  if (index <= 0) return edit(text, list[0]!.offset, 0, `${member},${separator}`);
  return edit(text, end(list[Math.min(index, list.length) - 1]!), 0, `,${separator}${member}`);
}

/** The whitespace after the commas of a one-line container, where it has two members to show it. */
function separatorOf(text: string, list: Node[]): string | undefined {
  return list.length >= 2 ? text.slice(end(list[0]!), list[1]!.offset).replace(',', '') : undefined;
}

/** Remove the member at `path` (an object key or an array index), with its comma and the whitespace before it. */
export function removeMember(text: string, path: JSONPath): string {
  const root = parseJson(text);
  const node = findNodeAtLocation(root, path);
  if (!node) return text;
  const member = node.parent?.type === 'property' ? node.parent : node;
  const container = member.parent!;
  const list = members(container);
  const index = list.indexOf(member);
  if (list.length === 1) return edit(text, container.offset + 1, container.length - 2, '');
  if (index === 0) return edit(text, member.offset, list[1]!.offset - member.offset, '');
  return edit(text, end(list[index - 1]!), end(member) - end(list[index - 1]!), '');
}

/** Replace the value at `path` (it must exist). */
export function replaceValue(text: string, path: JSONPath, value: unknown): string {
  const root = parseJson(text);
  const node = findNodeAtLocation(root, path);
  if (!node) throw new Error(`json-edit: nothing at ${path.join('.')}`);
  const container = node.parent?.type === 'property' ? node.parent.parent! : node.parent;
  const multiline = container ? isMultiline(text, container, root) : true;
  return edit(text, node.offset, node.length, serialize(value, detectStyle(text, root), lineIndent(text, node.offset), multiline));
}
