// Positions inside YAML scalars (an offset in a value back to its line and column), and `yaml` itself, loaded on first use.
import type { Document, LineCounter, Scalar } from 'yaml';
import { requireDependency } from '../vendor.ts';

type YamlLib = typeof import('yaml');
let lib: YamlLib | undefined;

/**
 * `yaml`, required when a metric file is first parsed rather than imported with core (from core's bundle of it,
 * src/vendor.ts). A run whose files all come from the project cache parses no YAML, and `yaml` is CommonJS, which
 * Node's ESM `import` scans for exports first: loading it eagerly cost 20-30 ms of every command's start.
 */
export const yamlLib = (): YamlLib => (lib ??= requireDependency<YamlLib>('yaml'));

/** A 1-based position in a file. */
export interface FilePosition {
  line: number;
  column: number;
}

/** Maps a 0-based offset inside a scalar's parsed value to a position in the file. */
export type ValueLocator = (offset: number) => FilePosition;

const matches = (src: string, c: string): boolean =>
  src === c || ((c === ' ' || c === '\n') && (src === '\n' || src === '\r'));

/**
 * Builds a locator for a YAML scalar (block, quoted or plain): each character of the value is aligned with
 * the source text that produced it, skipping indentation, quotes and folded line breaks.
 */
export function scalarLocator(source: string, node: Scalar, lines: LineCounter): ValueLocator {
  const value = String(node.value);
  const [start, end] = node.range ?? [0, 0];
  let j = start;
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
    const headerEnd = source.indexOf('\n', start);
    j = headerEnd === -1 ? end : headerEnd + 1;
  } else if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') {
    j = start + 1;
  }
  const map = new Array<number>(value.length + 1);
  for (let i = 0; i < value.length; i++) {
    let k = j;
    while (k < end && !matches(source[k]!, value[i]!)) k++;
    if (k >= end) {
      map[i] = j;
      continue;
    }
    map[i] = k;
    j = k + 1;
  }
  map[value.length] = j;
  return (offset) => {
    const clamped = Math.max(0, Math.min(value.length, offset));
    const { line, col } = lines.linePos(map[clamped] ?? start);
    return { line, column: col };
  };
}

/** 0-based offset in `text` of a 1-based line and column. */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  return Math.min(text.length, offset + Math.max(0, column - 1));
}

/** Start of the quoted scalar or flow collection (`[..`, `{..`) that an unclosed error at `pos` belongs to. */
export function openingOf(doc: Document, pos: number): number | undefined {
  let found: number | undefined;
  const consider = (start: number, end: number): void => {
    if (start <= pos && pos <= end && (found === undefined || start > found)) found = start;
  };
  yamlLib().visit(doc, {
    Scalar(_key, node) {
      if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') consider(node.range?.[0] ?? 0, node.range?.[2] ?? 0);
    },
    Seq(_key, node) {
      if (node.flow) consider(node.range?.[0] ?? 0, node.range?.[2] ?? 0);
    },
    Map(_key, node) {
      if (node.flow) consider(node.range?.[0] ?? 0, node.range?.[2] ?? 0);
    },
  });
  return found;
}

/** Where the key of the last step of `path` is written (`orders:` rather than its rows), when it is a map key. */
export function keyOffset(doc: Document, path: Array<string | number>): number | undefined {
  const parent = doc.getIn(path.slice(0, -1), true);
  const { isMap, isScalar } = yamlLib();
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(path[path.length - 1]));
  return (pair?.key as Scalar | undefined)?.range?.[0];
}

export function offsetForPath(doc: Document, path: Array<string | number>): number {
  for (let n = path.length; n > 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return node.range[0];
  }
  return (doc.contents as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
}
