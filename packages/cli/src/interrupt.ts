// The process-wide interruption: SIGINT / SIGTERM as an AbortSignal for the engine, and the exit code they end with.
/** Signals that stop a command, and the exit code each one ends the process with (128 + signal number). */
export const INTERRUPT_EXIT_CODES: { readonly SIGINT: 130; readonly SIGTERM: 143 } = { SIGINT: 130, SIGTERM: 143 };

/** A signal the CLI handles: Ctrl-C (`SIGINT`) or a polite kill (`SIGTERM`). */
export type InterruptSignal = keyof typeof INTERRUPT_EXIT_CODES;

const controller = new AbortController();
let received: InterruptSignal | undefined;

/**
 * The process-wide interruption: `bin.ts` calls `interrupt()` from its signal handlers; `withEngine` hands `signal`
 * to the engine, which interrupts the running DuckDB statement and records a run as cancelled.
 *
 * @example
 * ```ts
 * process.on('SIGINT', () => interruption.interrupt('SIGINT'));
 * ```
 */
export const interruption: {
  readonly signal: AbortSignal;
  /** The first signal received, if any. */
  received(): InterruptSignal | undefined;
  /** Records the signal and aborts `signal` (only the first call counts). */
  interrupt(signal: InterruptSignal): void;
  /** 130 after SIGINT, 143 after SIGTERM, else undefined. */
  exitCode(): number | undefined;
} = {
  signal: controller.signal,
  received: () => received,
  interrupt(signal) {
    if (received) return;
    received = signal;
    controller.abort(new Error(`interrupted by ${signal}`));
  },
  exitCode: () => (received ? INTERRUPT_EXIT_CODES[received] : undefined),
};
