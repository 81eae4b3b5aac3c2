#!/usr/bin/env node
// The `duckmetrics` executable: signal handling around `main`, and the process's exit code.
import { main } from './cli.ts';
import { INTERRUPT_EXIT_CODES, interruption } from './interrupt.ts';

// The first SIGINT / SIGTERM interrupts the running statement and lets the command finish cleanly (a run is
// recorded as cancelled); a second one exits at once. DuckDB's write-ahead log keeps the file consistent either way.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interruption.received()) process.exit(INTERRUPT_EXIT_CODES[signal]);
    process.stderr.write(`\n${signal === 'SIGINT' ? 'interrupted' : 'terminated'}: stopping the running statement (send ${signal} again to exit at once)\n`);
    interruption.interrupt(signal);
  });
}

const code = await main(process.argv.slice(2));
process.exitCode = interruption.exitCode() ?? code;
