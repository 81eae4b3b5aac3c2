#!/usr/bin/env node
// The `duckmetrics` executable: signal handling around `main`, and the process's exit code.
import { readFileSync } from 'node:fs';
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

// A reader that stops early (`duckmetrics list | head -1`) closes the pipe: the rest of the output has nowhere to
// go, but the command itself goes on, so a run whose builds committed finishes and is recorded as it happened.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

const argv = process.argv.slice(2);
// The help page cac prints, written by the build (tsup.config.ts runs `--cwd . --help` into dist/help.txt).
const helpPage = argv.length === 0 || (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) ? readHelpPage() : undefined;
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  // Answered before the command table and cac are loaded (about 10 ms of a 65 ms start); the line is cac's
  // own format, which every other spelling (`--cwd x --version`) still gets from cac.
  process.stdout.write(`duckmetrics/${__DUCKMETRICS_VERSION__} ${process.platform}-${process.arch} node-${process.version}\n`);
} else if (helpPage !== undefined) {
  // The same way for the help page: loading the command table and cac to print it was ~15 ms of an ~80 ms start.
  process.stdout.write(helpPage);
} else {
  const { main } = await import('./cli.ts');
  const code = await main(argv);
  process.exitCode = interruption.exitCode() ?? code;
}

/** dist/help.txt as the build wrote it, or undefined when it is missing (cac prints the page then). */
function readHelpPage(): string | undefined {
  try {
    return readFileSync(new URL('./help.txt', import.meta.url), 'utf8');
  } catch {
    return undefined;
  }
}
