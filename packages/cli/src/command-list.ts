// Every command of the CLI: its declaration (read when the CLI starts) paired with its module (imported when it runs).
import { buildCommand } from './commands/build.flags.ts';
import { cleanCommand } from './commands/clean.flags.ts';
import { devCommand } from './commands/dev.flags.ts';
import { docsCommand } from './commands/docs.flags.ts';
import { historyCommand } from './commands/history.flags.ts';
import { initCommand } from './commands/init.flags.ts';
import { listCommand } from './commands/list.flags.ts';
import { mcpCommand } from './commands/mcp.flags.ts';
import { newCommand } from './commands/new.flags.ts';
import { planCommand } from './commands/plan.flags.ts';
import { publishCommand } from './commands/publish.flags.ts';
import { queryCommand } from './commands/query.flags.ts';
import { rollbackCommand } from './commands/rollback.flags.ts';
import { runCommand } from './commands/run.flags.ts';
import { scheduleCommand } from './commands/schedule.flags.ts';
import { serveCommand } from './commands/serve.flags.ts';
import { setupCommand } from './commands/setup.flags.ts';
import { showCommand } from './commands/show.flags.ts';
import { testCommand } from './commands/test.flags.ts';
import { validateCommand } from './commands/validate.flags.ts';
import type { CommandAction, CommandSpec } from './flags/command-spec.ts';
import type { GlobalFlags } from './flags/common-flags.ts';
import { GLOBAL_FLAGS } from './flags/common-flags.ts';
import type { Flag, FlagDeclarations } from './flags/flag.ts';
import { readFlags } from './flags/flag.ts';
import { checkCwd } from './project-folder.ts';

/** A command as `main` registers it with cac: what --help shows, and how to run it from cac's parsed options. */
export interface CliCommand {
  readonly usage: string;
  readonly description: string;
  readonly flags: readonly Flag<unknown>[];
  /** Reads the typed flags from cac's options, imports the command's module and runs it. */
  run(options: Record<string, unknown>, args: string[]): Promise<number>;
}

/** Pairs a declaration with its module; the module's default export must take the flags the declaration reads. */
function lazy<F extends GlobalFlags>(spec: CommandSpec<F>, load: () => Promise<{ default: CommandAction<F> }>): CliCommand {
  const declarations = { ...GLOBAL_FLAGS, ...spec.flags } as unknown as FlagDeclarations<F>;
  return {
    usage: spec.usage,
    description: spec.description,
    flags: Object.values<Flag<unknown>>(spec.flags),
    run: async (options, args) => {
      const flags = readFlags(declarations, options);
      await checkCwd(flags);
      return (await load()).default(flags, args);
    },
  };
}

/** The global flags, registered on every command. */
export const GLOBAL_FLAG_LIST: readonly Flag<unknown>[] = Object.values<Flag<unknown>>(GLOBAL_FLAGS);

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly CliCommand[] = [
  lazy(initCommand, () => import('./commands/init.ts')),
  lazy(newCommand, () => import('./commands/new.ts')),
  lazy(setupCommand, () => import('./commands/setup.ts')),
  lazy(validateCommand, () => import('./commands/validate.ts')),
  lazy(buildCommand, () => import('./commands/build.ts')),
  lazy(runCommand, () => import('./commands/run.ts')),
  lazy(planCommand, () => import('./commands/plan.ts')),
  lazy(publishCommand, () => import('./commands/publish.ts')),
  lazy(rollbackCommand, () => import('./commands/rollback.ts')),
  lazy(devCommand, () => import('./commands/dev.ts')),
  lazy(scheduleCommand, () => import('./commands/schedule.ts')),
  lazy(listCommand, () => import('./commands/list.ts')),
  lazy(showCommand, () => import('./commands/show.ts')),
  lazy(queryCommand, () => import('./commands/query.ts')),
  lazy(serveCommand, () => import('./commands/serve.ts')),
  lazy(mcpCommand, () => import('./commands/mcp.ts')),
  lazy(testCommand, () => import('./commands/test.ts')),
  lazy(historyCommand, () => import('./commands/history.ts')),
  lazy(docsCommand, () => import('./commands/docs.ts')),
  lazy(cleanCommand, () => import('./commands/clean.ts')),
];
