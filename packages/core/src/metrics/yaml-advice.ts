// What a YAML parser error means in a metric file, said as the fix: quote a value, replace a tab, unindent a key.
import { METRIC_KEYS } from './metric-schema.ts';

/** One YAML problem as the analyst reads it. */
export interface YamlAdvice {
  message: string;
  hint: string;
  /** 1-based line and column to point at. */
  line: number;
  column: number;
}

/**
 * The plain-words reading of a parser error at `line` (1-based) of `text`, or undefined when the error is none of
 * the common ones. The common ones: a value starting with `*` or `&` (an unquoted cron is read as aliases), a tab
 * in the indentation, a key indented under the one before it, and `: ` inside a value.
 */
export function yamlAdvice(text: string, line: number, parserMessage: string): YamlAdvice | undefined {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const here = lines[line - 1] ?? '';
  const keyed = /^(\s*)([A-Za-z_][\w-]*)\s*:\s?(.*)$/.exec(here);

  // `schedule: * * * * *`: YAML reads `*` as an alias.
  if (keyed && /^[*&]/.test(keyed[3]!.trim())) {
    const key = keyed[2]!;
    const value = keyed[3]!.trim();
    return {
      line, column: here.indexOf(value) + 1,
      message: `the value of ${key} starts with "${value[0]}", which YAML reads as ${value[0] === '*' ? 'an alias' : 'an anchor'}: quote it`,
      hint: `write ${key}: "${value.replace(/"/g, '\\"')}"`,
    };
  }
  // A tab where YAML needs spaces (this line or the next).
  for (const n of [line, line + 1]) {
    const indent = /^[ \t]*/.exec(lines[n - 1] ?? '')![0];
    if (indent.includes('\t')) {
      return {
        line: n, column: indent.indexOf('\t') + 1,
        message: 'this line is indented with a tab (shown as →); YAML allows only spaces for indentation',
        hint: 'replace the tab with spaces (two spaces per level, e.g. the lines of sql: | start with two spaces)',
      };
    }
  }
  // `description: revenue: total`: a second ": " inside a value.
  if (keyed && keyed[1] === '' && /(^|\s)[^\s"']*:\s/.test(`${keyed[3]!} `) && !/^["'|>[{]/.test(keyed[3]!.trim()) && /mapping|implicit key|nested/i.test(parserMessage)) {
    const key = keyed[2]!;
    const value = keyed[3]!.trim();
    return {
      line, column: here.indexOf(value) + 1,
      message: `the value of ${key} holds ": ", which YAML reads as the start of another key: quote the value`,
      hint: `write ${key}: "${value.replace(/"/g, '\\"')}"`,
    };
  }
  // A top-level key indented under the previous one (this line or the next).
  for (const n of [line, line + 1]) {
    const m = /^( +)([A-Za-z_]\w*)\s*:/.exec(lines[n - 1] ?? '');
    if (m && METRIC_KEYS.includes(m[2]!) && !insideBlock(lines, n)) {
      return {
        line: n, column: 1,
        message: `"${m[2]}" is indented by ${m[1]!.length} space${m[1]!.length === 1 ? '' : 's'}, so YAML reads it as part of the line above; top-level keys start at the beginning of the line`,
        hint: `remove the spaces before ${m[2]}:`,
      };
    }
  }
  return undefined;
}

/**
 * The first top-level key whose value starts with `*` or `&` (read as an alias or an anchor, never what an analyst
 * meant in a metric file), as advice to quote it; undefined when there is none.
 */
export function aliasAdvice(text: string): YamlAdvice | undefined {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const n = lines.findIndex((l) => /^[A-Za-z_][\w-]*\s*:\s*[*&]/.test(l));
  return n === -1 ? undefined : yamlAdvice(text, n + 1, '');
}

/** True when line `n` sits inside a block value (`sql: |`, a list or map written over several lines). */
function insideBlock(lines: readonly string[], n: number): boolean {
  for (let i = n - 2; i >= 0; i--) {
    const l = lines[i]!;
    if (l.trim() === '' || l.trim().startsWith('#')) continue;
    if (/^\S/.test(l)) return /:\s*[|>][-+0-9]*\s*(#.*)?$/.test(l) || /:\s*(#.*)?$/.test(l);
  }
  return false;
}
