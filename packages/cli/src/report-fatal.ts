import pc from 'picocolors';
import { EXIT } from './exit-codes.ts';

/**
 * Prints a fatal error for a person (or as JSON) and returns the exit code. Errors that carry a `code` are
 * expected (config, lock, usage) and print without a stack; anything else is a bug and says so.
 */
export function reportFatal(error: unknown, options: { json: boolean; debug: boolean }): number {
  const e = error as { code?: string; message?: string; file?: string; hint?: string; name?: string; stack?: string; cause?: unknown; pid?: number };
  const known = typeof e?.code === 'string' || e?.name === 'CACError';
  const code = e?.name === 'CACError' ? 'USAGE' : (e?.code ?? 'INTERNAL');
  const message = e?.message ?? String(error);
  const hint = e?.hint ?? (e?.name === 'CACError' ? 'run duckmetrics --help' : known ? undefined : 'this is a bug in duckmetrics; run again with --debug and report the stack');
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ok: false, error: { code, message, file: e?.file, hint, ...(typeof e?.pid === 'number' ? { pid: e.pid } : {}) } }, null, 2)}\n`);
  } else {
    process.stderr.write(`${pc.red(pc.bold('error'))} ${pc.dim(code)} ${message}\n`);
    if (e?.file) process.stderr.write(`  ${pc.dim('file:')} ${e.file}\n`);
    if (hint) process.stderr.write(`  ${pc.cyan('hint:')} ${hint}\n`);
  }
  if (options.debug && e?.stack) process.stderr.write(`${e.stack}\n${e.cause ? `cause: ${(e.cause as Error).stack ?? String(e.cause)}\n` : ''}`);
  return EXIT.usage;
}
