// The CLI's entry point: registers every command with cac, parses argv, runs the matched command, reports a fatal error.
import { cac } from 'cac';
import { COMMANDS, GLOBAL_FLAG_LIST } from './command-list.ts';
import type { ArgvProblem } from './flags/argv-check.ts';
import { checkArgv } from './flags/argv-check.ts';
import { reportFatal } from './error-report.ts';
import { EXIT } from './exit-codes.ts';

/**
 * Runs the CLI with `argv` (without `node` and the script) and resolves to the exit code.
 * Commands and DuckDB are imported only when a command runs, so `--help` and `--version` start fast.
 *
 * @example
 * ```ts
 * process.exitCode = await main(['run', '--cwd', 'examples/customer-metrics']);
 * ```
 */
export async function main(argv: string[]): Promise<number> {
  const cli = cac('duckmetrics');
  let pending: Promise<number> | undefined;
  for (const flag of GLOBAL_FLAG_LIST) cli.option(flag.spelling, flag.description);
  for (const command of COMMANDS) {
    const registered = cli.command(command.usage, command.description);
    for (const flag of command.flags) registered.option(flag.spelling, flag.description, flag.default === undefined ? undefined : { default: flag.default });
    registered.action((...input: unknown[]) => {
      // cac passes the positional arguments, then the options.
      const options = input.pop() as Record<string, unknown>;
      const args = input.flat().filter((a): a is string => typeof a === 'string');
      pending = command.run(options, args);
    });
  }
  cli.help();
  cli.version(__DUCKMETRICS_VERSION__);

  try {
    const checked = checkArgv(argv, COMMANDS, GLOBAL_FLAG_LIST);
    if (!checked.ok) throw await usageError(checked.problem);
    const parsed = cli.parse(['node', 'duckmetrics', ...checked.argv], { run: false });
    if (parsed.options.help || parsed.options.version) return EXIT.ok;
    if (!cli.matchedCommand) {
      if (cli.args.length > 0) {
        const { DuckmetricsError } = await import('@duckmetrics/core');
        throw new DuckmetricsError('USAGE', `unknown command "${cli.args[0]}"`, { hint: 'run duckmetrics --help for the list of commands' });
      }
      cli.outputHelp();
      return EXIT.ok;
    }
    await cli.runMatchedCommand();
    return pending ? await pending : EXIT.ok;
  } catch (error) {
    return reportFatal(error, { json: argv.includes('--json'), debug: argv.includes('--debug') });
  }
}

/** A command line's problem as the error the CLI reports: `USAGE`, with "did you mean" when a name is close. */
async function usageError(problem: ArgvProblem): Promise<Error> {
  const { DuckmetricsError, didYouMean } = await import('@duckmetrics/core');
  const match = problem.misspelt ? didYouMean(problem.misspelt.word, problem.misspelt.candidates) : undefined;
  return new DuckmetricsError('USAGE', problem.message, { hint: match !== undefined && problem.misspelt ? problem.misspelt.hint(match) : problem.hint });
}
