// The exit codes of the `duckmetrics` command.
/** Exit codes of the `duckmetrics` command. */
export const EXIT: { readonly ok: 0; readonly failed: 1; readonly usage: 2 } = {
  /** Everything valid / built. */
  ok: 0,
  /** Some metric invalid or failed, or some check failed. */
  failed: 1,
  /** Usage or config error, locked database, anything fatal. */
  usage: 2,
};
