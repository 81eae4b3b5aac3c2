// The live progress list on a terminal (a ProgressList): running items with spinners, the queue, a tally, redrawn in place.
import { createLogUpdate } from 'log-update';
import pc from 'picocolors';
import { pad, terminalSafe } from '../output.ts';
import { NAME_WIDTH, nameWidth } from './run-report.ts';

/** A terminal stream as far as the live list cares (`process.stdout`, or a fake terminal in tests). */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  rows?: number;
  write(chunk: string): unknown;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

interface Options {
  /** Milliseconds clock (tests pass a fake one). Default `performance.now`. */
  now?: () => number;
  /** Redraw interval in ms; 0 redraws only on events (tests). Default 80. */
  interval?: number;
}

/**
 * The live progress list on a terminal (log-update redraws it in place): finished items are printed above it for
 * good, in the order they finish; the redrawn part shows what is running, with elapsed time and a spinner, then
 * what is queued (as many as the terminal has room for), then a one-line tally.
 *
 * @example
 * ```ts
 * const list = new LiveList(process.stdout);
 * list.queue(['a', 'b']); list.start('a'); list.finish('a', '✓ a  3 rows  12 ms'); list.stop();
 * ```
 */
export class LiveList {
  readonly #update: ReturnType<typeof createLogUpdate>;
  readonly #stream: ProgressStream;
  readonly #now: () => number;
  readonly #timer: ReturnType<typeof setInterval> | undefined;
  readonly #queued: string[] = [];
  readonly #running = new Map<string, number>();
  readonly #began: number;
  #label: string | undefined;
  #total = 0;
  #done = 0;
  #failed = 0;
  #frame = 0;
  #stopped = false;
  #width = NAME_WIDTH;

  constructor(stream: ProgressStream, options: Options = {}) {
    this.#stream = stream;
    this.#update = createLogUpdate(stream as NodeJS.WriteStream);
    this.#now = options.now ?? (() => performance.now());
    this.#began = this.#now();
    const interval = options.interval ?? 80;
    if (interval > 0) {
      this.#timer = setInterval(() => this.render(), interval);
      this.#timer.unref();
    }
  }

  status(label: string): void {
    this.#label = label;
    this.render();
  }

  queue(names: string[]): void {
    this.#label = undefined;
    this.#queued.push(...names.filter((n) => !this.#queued.includes(n)));
    this.#width = Math.max(this.#width, nameWidth(names));
    this.#total += names.length;
    this.render();
  }

  start(name: string): void {
    const i = this.#queued.indexOf(name);
    if (i >= 0) this.#queued.splice(i, 1);
    this.#running.set(name, this.#now());
    this.render();
  }

  finish(name: string | null, line?: string, failed = false): void {
    if (this.#stopped) return;
    const i = name === null ? -1 : this.#queued.indexOf(name);
    const listed = i >= 0 || (name !== null && this.#running.has(name));
    if (i >= 0) this.#queued.splice(i, 1);
    if (name !== null) this.#running.delete(name);
    if (listed) this.#done += 1;
    if (failed) this.#failed += 1;
    if (line !== undefined) {
      // Written by hand rather than with log-update's persist(), which would wrap and clip the line like a frame.
      this.#update.clear();
      this.#stream.write(`${terminalSafe(line)}\n`);
    }
    this.render();
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#update.clear();
    this.#update.done();
  }

  /** Redraws the live part (the timer calls it; tests call it after moving their clock). */
  render(): void {
    if (this.#stopped) return;
    this.#frame += 1;
    const text = this.frame();
    if (text === '') this.#update.clear();
    else this.#update(terminalSafe(text));
  }

  /** The live part's text as it would be drawn now. */
  frame(): string {
    const now = this.#now();
    const spin = pc.cyan(SPINNER[this.#frame % SPINNER.length]!);
    const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
    if (this.#label !== undefined) return `${spin} ${this.#label}… ${pc.dim(seconds(now - this.#began))}`;
    const lines: string[] = [];
    for (const [name, since] of this.#running) lines.push(`${spin} ${pad(name, this.#width)}${pc.cyan('running')} ${pc.dim(seconds(now - since))}`);
    // The queue gets at most a third of the screen (log-update keeps the cursor below the frame, and the tally takes
    // a line), so the finished lines above it stay in view; the rest of the queue collapses to a count.
    const room = Math.max(2, Math.floor((this.#stream.rows ?? 24) / 3) - lines.length - 1);
    const shown = this.#queued.length > room ? room - 1 : this.#queued.length;
    for (const name of this.#queued.slice(0, shown)) lines.push(`${pc.dim('·')} ${pad(name, this.#width)}${pc.dim('queued')}`);
    if (shown < this.#queued.length) lines.push(pc.dim(`  … ${this.#queued.length - shown} more queued`));
    if (this.#total > 0 || lines.length > 0) {
      const failed = this.#failed ? ` · ${pc.red(`${this.#failed} failed`)}` : '';
      lines.push(`${pc.dim(`${this.#done}/${this.#total} done`)}${failed}${pc.dim(` · ${seconds(now - this.#began)}`)}`);
    }
    return lines.join('\n');
  }
}
