// What a command shows while it works (the ProgressList), its plain and silent forms, and which one a command gets.
import { print } from '../output.ts';
import type { ProgressStream } from './live-list.ts';

/**
 * What a command shows while it works: a list of items (metrics, sources) that are queued, started and finished.
 * `LiveList` redraws it on a terminal; `plainList` prints one line per finished item.
 */
export interface ProgressList {
  /** What is going on before any item is known, e.g. `validating 12 metric files`. */
  status(label: string): void;
  /** Items that will be worked on, in order. */
  queue(names: string[]): void;
  /** An item started. */
  start(name: string): void;
  /** An item finished: `line` is printed for good (omit it to drop the item silently); `failed` counts it as such. */
  finish(name: string | null, line?: string, failed?: boolean): void;
  /** Removes what is still drawn and stops redrawing; call before printing a summary. */
  stop(): void;
}

/** One line per finished item, on stdout: for pipes, CI logs and `--no-progress`. */
export const plainList: ProgressList = {
  status() {},
  queue() {},
  start() {},
  finish(_name, line) {
    if (line !== undefined) print(line);
  },
  stop() {},
};

/** Nothing at all: for `--json`. */
export const silentList: ProgressList = { status() {}, queue() {}, start() {}, finish() {}, stop() {} };

/**
 * The list a command should use: nothing with `--json`, a live list on an interactive terminal, plain lines
 * otherwise (a pipe, a file, a terminal of unknown size, `CI` set, `TERM=dumb`, or `--no-progress`).
 */
export async function progressList(
  options: { json?: boolean; progress?: boolean },
  stream: ProgressStream = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ProgressList> {
  if (options.json) return silentList;
  // A terminal that reports no size (0 rows, e.g. a bare pseudo-terminal) cannot hold a redrawn list.
  // live-list.ts (and log-update) load only for a live list; it implements ProgressList without importing this file.
  const sized = (stream.rows ?? 0) > 0 && (stream.columns ?? 0) > 0;
  const live = options.progress !== false && stream.isTTY === true && sized && !env.CI && env.TERM !== 'dumb';
  if (!live) return plainList;
  const { LiveList } = await import('./live-list.ts');
  return new LiveList(stream);
}
