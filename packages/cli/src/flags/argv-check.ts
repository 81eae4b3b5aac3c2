// The command line checked before cac reads it: unknown commands, unknown flags and stray arguments are usage
// errors (with a did-you-mean), and `-s a b` is spread into `-s a -s b` (values up to the next flag, as in dbt).
import type { Flag } from './flag.ts';

/** A command as the check sees it: its name and arguments (cac's usage) and its own flags. */
export interface CheckedCommand {
  readonly usage: string;
  readonly flags: readonly Flag<unknown>[];
}

/** What is wrong with a command line, and the suggestion (a name that was probably meant) when there is one. */
export interface ArgvProblem {
  readonly message: string;
  readonly hint: string;
  /** A misspelt command or flag: the candidates to suggest from (the caller computes the suggestion). */
  readonly misspelt?: { readonly word: string; readonly candidates: readonly string[]; readonly hint: (match: string) => string };
}

/** The command line to give cac (list flags spread), or the problem with it. */
export type ArgvCheck = { readonly ok: true; readonly argv: string[] } | { readonly ok: false; readonly problem: ArgvProblem };

interface FlagName {
  readonly name: string;
  readonly takesValue: boolean;
  readonly repeatable: boolean;
}

const BUILT_IN: readonly FlagName[] = ['--help', '-h', '--version', '-v'].map((name) => ({ name, takesValue: false, repeatable: false }));

/** `-s, --select <selector>` → `-s` and `--select`, taking a value; `--no-checks` also answers to `--checks`. */
function namesOf(flag: Flag<unknown>): FlagName[] {
  const takesValue = /[<[]/.test(flag.spelling);
  const names = flag.spelling.replace(/[<[].*$/, '').split(',').map((n) => n.trim()).filter(Boolean);
  const all = names.flatMap((n) => (n.startsWith('--no-') ? [n, `--${n.slice(5)}`] : [n]));
  return all.map((name) => ({ name, takesValue, repeatable: flag.repeatable === true }));
}

function commandName(usage: string): string {
  return usage.split(' ')[0]!;
}

/** How many arguments a usage takes: `show <metric_name>` one, `init [dir]` at most one, `[...files]` any. */
function argumentLimit(usage: string): number {
  const args = usage.split(' ').slice(1);
  return args.some((a) => a.includes('...')) ? Infinity : args.length;
}

/**
 * Checks `argv` (without `node` and the script) against the commands and the global flags, and spreads the values
 * of repeatable flags: `run -s a b --threads 2` → `run -s a -s b --threads 2`. Everything after `--` is left alone.
 *
 * @example
 * ```ts
 * checkArgv(['run', 'weekly_revenue'], COMMANDS, GLOBAL_FLAG_LIST); // { ok: false, problem: { message: 'duckmetrics run takes no arguments, found "weekly_revenue"', … } }
 * ```
 */
export function checkArgv(argv: readonly string[], commands: readonly CheckedCommand[], globals: readonly Flag<unknown>[]): ArgvCheck {
  const globalNames = [...globals.flatMap(namesOf), ...BUILT_IN];
  const flagsOf = new Map(commands.map((c) => [commandName(c.usage), [...globalNames, ...c.flags.flatMap(namesOf)]]));
  const out: string[] = [];
  const positionals: string[] = [];
  let command: CheckedCommand | undefined;
  let known: FlagName[] = globalNames;
  let spreading: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (token.startsWith('-') && token.length > 1 && !/^-\d/.test(token)) {
      spreading = undefined;
      const name = token.split('=')[0]!;
      const flag = known.find((f) => f.name === name);
      if (!flag) return { ok: false, problem: unknownFlag(name, command, known, commands) };
      out.push(token);
      if (flag.takesValue && !token.includes('=') && i + 1 < argv.length) out.push(argv[++i]!);
      if (flag.repeatable) spreading = flag.name;
      continue;
    }
    if (spreading !== undefined) {
      out.push(spreading, token);
      continue;
    }
    if (command === undefined) {
      command = commands.find((c) => commandName(c.usage) === token);
      if (!command) return { ok: false, problem: unknownCommand(token, commands) };
      known = flagsOf.get(token)!;
      out.push(token);
      continue;
    }
    positionals.push(token);
    out.push(token);
  }
  if (command && positionals.length > argumentLimit(command.usage)) return { ok: false, problem: strayArguments(command, positionals) };
  return { ok: true, argv: out };
}

function unknownCommand(word: string, commands: readonly CheckedCommand[]): ArgvProblem {
  return {
    message: `unknown command "${word}"`,
    hint: 'run duckmetrics --help for the list of commands',
    misspelt: { word, candidates: commands.map((c) => commandName(c.usage)), hint: (match) => `did you mean duckmetrics ${match}? (duckmetrics --help lists every command)` },
  };
}

function unknownFlag(name: string, command: CheckedCommand | undefined, known: readonly FlagName[], commands: readonly CheckedCommand[]): ArgvProblem {
  const where = command ? `duckmetrics ${commandName(command.usage)}` : 'duckmetrics';
  const elsewhere = commands.filter((c) => c !== command && c.flags.some((f) => namesOf(f).some((n) => n.name === name))).map((c) => commandName(c.usage));
  const help = command ? `duckmetrics ${commandName(command.usage)} --help lists its flags` : 'duckmetrics --help lists the commands and global flags';
  const hint = elsewhere.length > 0 ? `${name} is a flag of ${elsewhere.join(', ')}; ${help}` : help;
  return {
    message: `unknown flag ${name} for ${where}`,
    hint,
    misspelt: { word: name, candidates: known.map((f) => f.name).filter((n) => n.startsWith('--')), hint: (match) => `did you mean ${match}? (${help})` },
  };
}

function strayArguments(command: CheckedCommand, positionals: readonly string[]): ArgvProblem {
  const name = commandName(command.usage);
  const limit = argumentLimit(command.usage);
  const stray = positionals.slice(limit);
  const quoted = positionals.map((s) => `"${s}"`).join(' ');
  const takes = limit === 0 ? 'takes no arguments' : `takes ${limit === 1 ? 'one argument' : `${limit} arguments`} (${command.usage.split(' ').slice(1).join(' ')})`;
  const selects = command.flags.some((f) => f.spelling.includes('--select'));
  const hint = selects
    ? `to build or check only some metrics, select them: duckmetrics ${name} -s ${stray.join(' ')}`
    : name === 'query'
      ? 'quote the SQL so that it is one argument: duckmetrics query "SELECT …"'
      : `duckmetrics ${name} --help shows what it takes`;
  return { message: `duckmetrics ${name} ${takes}, found ${positionals.length}: ${quoted}`, hint };
}
