// Thrown errors as fields and lines: the one place that reads an error's code, message, file and hint.
import pc from 'picocolors';
import { terminalSafe } from './output.ts';
import { EXIT } from './exit-codes.ts';

/** What a person (or a `--json` reader) is told about an error. */
export interface ErrorFields {
  code: string;
  message: string;
  file?: string;
  hint?: string;
}

type Thrown = { code?: unknown; message?: string; file?: string; hint?: string; name?: string; pid?: unknown } | null | undefined;

/**
 * The fields of any thrown value. Errors carry their code as a field rather than being told apart by class: besides
 * `DuckmetricsError` (config, lock, usage) they come from cac (`CACError`, a usage error) and from Node
 * (`EADDRINUSE`, `EACCES`), and all of those are expected. Anything without a code is `INTERNAL`,
 * and `reportFatal` calls it a bug.
 */
export function errorFields(error: unknown): ErrorFields {
  const e = error as Thrown;
  const code = isCacError(error) ? 'USAGE' : ((e?.code as string | undefined) ?? 'INTERNAL');
  return { code, message: e?.message ?? String(error), ...(e?.file ? { file: e.file } : {}), ...(e?.hint ? { hint: e.hint } : {}) };
}

/** An error as printed: `error CODE message`, then its file and hint, each on its own line. */
export function errorLines(fields: ErrorFields): string[] {
  return [
    `${pc.red(pc.bold('error'))} ${pc.dim(fields.code)} ${fields.message}`,
    ...(fields.file ? [`  ${pc.dim('file:')} ${fields.file}`] : []),
    ...(fields.hint ? [`  ${pc.cyan('hint:')} ${fields.hint}`] : []),
  ];
}

/**
 * Prints a fatal error for a person (or as JSON) and returns the exit code. Errors that carry a `code` are
 * expected (config, lock, usage) and print without a stack; anything else is a bug and says so.
 */
export function reportFatal(error: unknown, options: { json: boolean; debug: boolean }): number {
  const e = error as Thrown & { stack?: string; cause?: unknown };
  const known = typeof e?.code === 'string' || isCacError(error);
  const fields = errorFields(error);
  const hint = fields.hint ?? (isCacError(error) ? 'run duckmetrics --help' : known ? undefined : 'this is a bug in duckmetrics; run again with --debug and report the stack');
  const shown: ErrorFields = { ...fields, ...(hint === undefined ? {} : { hint }) };
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ok: false, error: { ...shown, ...(typeof e?.pid === 'number' ? { pid: e.pid } : {}) } }, null, 2)}\n`);
  } else {
    process.stderr.write(`${terminalSafe(errorLines(shown).join('\n'))}\n`);
  }
  if (options.debug && e?.stack) process.stderr.write(`${e.stack}\n${e.cause ? `cause: ${(e.cause as Error).stack ?? String(e.cause)}\n` : ''}`);
  return EXIT.usage;
}

function isCacError(error: unknown): boolean {
  return (error as Thrown)?.name === 'CACError';
}
