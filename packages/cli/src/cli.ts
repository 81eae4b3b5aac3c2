import { cac } from 'cac';
import { EXIT } from './exit-codes.ts';
import type { GlobalOptions } from './options.ts';
import { reportFatal } from './report-fatal.ts';

type Action = (options: GlobalOptions & Record<string, unknown>, args: string[]) => Promise<number>;

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
  const command = (load: () => Promise<{ default: Action }>) =>
    (...input: unknown[]): void => {
      const options = input.pop() as GlobalOptions & Record<string, unknown>;
      const args = input.flat().filter((a): a is string => typeof a === 'string');
      pending = load().then((m) => m.default(options, args));
    };

  cli.option('--cwd <dir>', 'Project folder (default: current folder)');
  cli.option('--config <file>', 'Config file (default: metrics.config.* found in the project folder)');
  cli.option('--json', 'Print the result as JSON on stdout, nothing else');
  cli.option('--debug', 'Show stack traces and plugin debug messages');
  cli.option('--wait <seconds>', 'When another process holds the database, retry for up to this many seconds');

  cli
    .command('init [dir]', 'Start a project that runs as it stands: config, sample CSV, two metrics, README')
    .option('--force', 'Overwrite files that already exist')
    .action(command(() => import('./commands/init.ts')));
  cli
    .command('new <metric_name>', 'Write metrics/<metric_name>.yaml from a template and print its path')
    .action(command(() => import('./commands/new.ts')));
  cli
    .command('setup', 'Load source data (CSV files in data/) into the database')
    .option('--force', 'Reload every source, even those whose files did not change')
    .option('--no-progress', 'Plain lines instead of a live list, even on a terminal')
    .action(command(() => import('./commands/setup.ts')));
  cli
    .command('validate', 'Check every metric file and its SQL, without building anything')
    .option('-s, --select <selector>', 'Only these metrics: name, +name, name+, tag:x, path:glob (repeatable)')
    .option('--exclude <selector>', 'Leave these metrics out (same syntax, repeatable)')
    .action(command(() => import('./commands/validate.ts')));
  cli
    .command('run', 'Validate, then build the metrics whose inputs changed, in dependency order')
    .option('-s, --select <selector>', 'Only these metrics: name, +name, name+, tag:x, path:glob (repeatable)')
    .option('--exclude <selector>', 'Leave these metrics out (same syntax, repeatable)')
    .option('--full-refresh', 'Rebuild the selected metrics even when nothing changed')
    .option('--threads <n>', 'Metrics built at once (default: config threads, else CPUs up to 4)')
    .option('--no-checks', 'Publish without running the data checks')
    .option('--due', 'Build only the metrics whose cron schedule came due since their last successful build')
    .option('--watch', 'Keep watching and rebuild what changed (same as duckmetrics dev)')
    .option('--no-progress', 'Plain lines instead of a live list, even on a terminal')
    .action(command(() => import('./commands/run.ts')));
  cli
    .command('dev', 'Watch metric files, config and data; re-validate and rebuild what changed and what depends on it')
    .option('--no-progress', 'Plain lines instead of a live list, even on a terminal')
    .action(command(() => import('./commands/dev.ts')));
  cli
    .command('schedule', 'Stay running and build each metric when its cron schedule comes due (stop with Ctrl-C / SIGTERM)')
    .option('--full-refresh', 'Kept for scripts: due metrics are always rebuilt, even when their inputs did not change')
    .action(command(() => import('./commands/schedule.ts')));
  cli
    .command('list', 'List metrics: owner, schedule, tags, last run, rows, age, next due time')
    .action(command(() => import('./commands/list.ts')));
  cli
    .command('show <metric_name>', 'Show one metric: definition, lineage, columns, last runs and its first rows')
    .option('--limit <n>', 'How many rows of the table to show', { default: 10 })
    .action(command(() => import('./commands/show.ts')));
  cli
    .command('test', "Run the metrics' data checks against their current tables")
    .option('-s, --select <selector>', 'Only these metrics: name, +name, name+, tag:x, path:glob (repeatable)')
    .option('--exclude <selector>', 'Leave these metrics out (same syntax, repeatable)')
    .action(command(() => import('./commands/test.ts')));
  cli
    .command('history [name]', 'Show the last runs, or the last runs of one metric')
    .option('--limit <n>', 'How many rows', { default: 20 })
    .action(command(() => import('./commands/history.ts')));
  cli
    .command('docs', 'Write the catalog site (metrics, sources, lineage) to --out, or serve it with live reload')
    .option('--out <dir>', 'Folder to write the site to (default: site)')
    .option('--serve', 'Serve the site on 127.0.0.1 and rebuild it when the project changes')
    .option('--port <n>', 'Port for --serve (default: 8080; 0: any free port)')
    .action(command(() => import('./commands/docs.ts')));
  cli
    .command('clean', 'Drop metric tables (sources stay)')
    .option('--all', 'Also drop source tables and duckmetrics state')
    .option('--yes', 'Do not ask for confirmation (needed for --all when not on a terminal)')
    .action(command(() => import('./commands/clean.ts')));

  cli.help();
  cli.version(__DUCKMETRICS_VERSION__);

  const wantsJson = argv.includes('--json');
  try {
    const parsed = cli.parse(['node', 'duckmetrics', ...argv], { run: false });
    if (parsed.options.help || parsed.options.version) return EXIT.ok;
    if (!cli.matchedCommand) {
      if (cli.args.length > 0) throw usage(`unknown command "${cli.args[0]}"`, 'run duckmetrics --help for the list of commands');
      cli.outputHelp();
      return EXIT.ok;
    }
    await cli.runMatchedCommand();
    return pending ? await pending : EXIT.ok;
  } catch (error) {
    return reportFatal(error, { json: wantsJson, debug: argv.includes('--debug') });
  }
}

function usage(message: string, hint: string): Error {
  return Object.assign(new Error(message), { code: 'USAGE', hint });
}
