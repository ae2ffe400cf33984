// Annotations and decorators (`@GetMapping("/x")`, `@Controller('users')`) grouped with the declaration
// they precede, for the frameworks that declare routes that way (Spring, JAX-RS, NestJS).

export interface Annotation {
  name: string;
  /** The text between the parentheses ('' when there are none). */
  args: string;
  line: number;
}

export interface DecoratedBlock {
  annotations: Annotation[];
  /** The declaration the annotations belong to: a class or a method. */
  isClass: boolean;
  line: number;
}

const CLASS = /\b(class|interface|object)\s+\w/;
const COMMENT = /^(\/\/|\/\*|\*|#)/;

/** Index of the parenthesis closing the one at 0, skipping quoted text; -1 when not closed. */
function closingParen(text: string): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i += 1;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '(') depth += 1;
    else if (c === ')') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

export function decoratedBlocks(text: string): DecoratedBlock[] {
  const lines = text.split(/\r?\n/);
  const blocks: DecoratedBlock[] = [];
  let pending: Annotation[] = [];
  const close = (declaration: string, line: number) => {
    if (pending.length) blocks.push({ annotations: pending, isClass: CLASS.test(declaration), line });
    pending = [];
  };
  for (let i = 0; i < lines.length; i += 1) {
    let rest = lines[i]!.trim();
    if (!rest.startsWith('@')) {
      if (rest !== '' && !COMMENT.test(rest)) close(rest, i + 1);
      continue;
    }
    while (rest.startsWith('@')) {
      const name = /^@([\w.]+)\s*/.exec(rest);
      if (!name) break;
      const line = i + 1;
      rest = rest.slice(name[0].length);
      let args = '';
      if (rest.startsWith('(')) {
        let end = closingParen(rest);
        // Arguments over several lines (at most 20): join them.
        for (let extra = 0; end === -1 && extra < 20 && i + 1 < lines.length; extra += 1) {
          i += 1;
          rest += ` ${lines[i]!.trim()}`;
          end = closingParen(rest);
        }
        if (end === -1) end = rest.length - 1;
        args = rest.slice(1, end);
        rest = rest.slice(end + 1).trim();
      }
      pending.push({ name: name[1]!, args, line });
    }
    if (rest !== '' && !COMMENT.test(rest)) close(rest, i + 1);
  }
  return blocks;
}

/** The string literals in an annotation's arguments. */
export function stringLiterals(args: string): string[] {
  return [...args.matchAll(/(["'`])((?:\\.|(?!\1)[^\\])*)\1/g)].map((m) => m[2]!);
}

/**
 * The paths an annotation names: from `value =`/`path =` when the arguments are named (so that
 * `produces = "application/json"` is not taken for a path), otherwise every string literal.
 */
export function annotationPaths(args: string): string[] {
  const named = [...args.matchAll(/\b(?:value|path)\s*[=:]\s*(\{[^}]*\}|\[[^\]]*\]|"[^"]*"|'[^']*')/g)].flatMap((m) => stringLiterals(m[1]!));
  if (named.length || /\w+\s*=/.test(args)) return named;
  return stringLiterals(args);
}

/** `/api` + `users/:id` -> `/api/users/:id`; empty parts are dropped; the result starts with `/`. */
export function joinPaths(...parts: string[]): string {
  const present = parts.filter((p) => p !== '');
  const joined = present.join('/').replace(/\/{2,}/g, '/');
  const rooted = joined.startsWith('/') ? joined : `/${joined}`;
  // A trailing slash written on the last part is part of the route (FastAPI, Spring, Django tell them apart).
  const trailing = present.length > 0 && present[present.length - 1]!.endsWith('/');
  return rooted.length > 1 && !trailing ? rooted.replace(/\/$/, '') : rooted;
}
