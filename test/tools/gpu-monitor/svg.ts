// A small well-formedness check for the SVG the plot writes (no XML parser among the dependencies):
// every tag closes in order, attributes are quoted, text has no raw '<' or '&' outside entities,
// and the polylines are returned with their GPU, series and points.

export interface Polyline {
  gpu: string | undefined;
  series: string | undefined;
  points: [number, number][];
}

export function checkSvg(text: string): { root: string; polylines: Polyline[] } {
  const stack: string[] = [];
  const polylines: Polyline[] = [];
  let root = '';
  const token = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let consumed = 0;
  for (let match = token.exec(text); match !== null; match = token.exec(text)) {
    consumed = token.lastIndex;
    const [, closing, name, attributes, selfClosing, body] = match;
    if (body !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(body)) throw new Error(`bare & in text: ${body.slice(0, 40)}`);
      if (stack.length === 0 && body.trim() !== '') throw new Error('text outside the root element');
      continue;
    }
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
      continue;
    }
    if (stack.length === 0) {
      if (root) throw new Error('more than one root element');
      root = name!;
    }
    const attrs = Object.fromEntries([...(attributes ?? '').matchAll(/([\w:-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    if (name === 'polyline') {
      const points = (attrs.points ?? '')
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map((pair) => pair.split(',').map(Number) as [number, number]);
      if (points.some((p) => p.length !== 2 || p.some((v) => !Number.isFinite(v)))) throw new Error(`bad points: ${attrs.points}`);
      polylines.push({ gpu: attrs['data-gpu'], series: attrs['data-series'], points });
    }
    if (!selfClosing) stack.push(name!);
  }
  if (consumed !== text.length) throw new Error(`not well-formed at ${consumed}: ${text.slice(consumed, consumed + 40)}`);
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('>, <')}>`);
  if (!root) throw new Error('no root element');
  return { root, polylines };
}
