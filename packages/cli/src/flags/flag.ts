// Typed flag declarations: how a flag is spelled for cac, what --help says about it, and the type its value has.

/** One flag: its spelling for cac, its --help line, and how the value cac parsed becomes a typed value. */
export interface Flag<T> {
  /** As cac spells it: `--threads <n>`, `-s, --select <selector>`, `--no-checks`. */
  readonly spelling: string;
  /** The flag's line in `--help`. */
  readonly description: string;
  /** Takes several values: repeated (`-s a -s b`), or listed up to the next flag (`-s a b`). */
  readonly repeatable?: boolean;
  /** Shown in `--help`, and the value when the flag is not given. */
  readonly default?: number;
  /** The value cac parsed (string, number, boolean, or an array when repeated) as this flag's type. */
  read(raw: unknown): T;
}

/** Flag declarations for every field of `F`: a command's flags are checked against its flags interface. */
export type FlagDeclarations<F> = { readonly [K in keyof F]-?: Flag<F[K]> };

/** `--force`: true when given. Repeated, the last one counts. */
export function booleanFlag(spelling: string, description: string): Flag<boolean> {
  return { spelling, description, read: (raw) => Boolean(Array.isArray(raw) ? raw.at(-1) : raw) };
}

/** `--no-checks`: true unless the flag is given (cac's negated option). */
export function negatedFlag(spelling: string, description: string): Flag<boolean> {
  return { spelling, description, read: (raw) => (Array.isArray(raw) ? raw.at(-1) : raw) !== false };
}

/**
 * `--threads <n>`: the text given, or undefined. Numbers stay text here: the command that reads one checks it and
 * says what it expected, with the value as typed.
 */
export function valueFlag(spelling: string, description: string, options: { default?: number } = {}): Flag<string | undefined> {
  return { spelling, description, ...options, read: (raw) => (raw === undefined ? undefined : String(raw)) };
}

/**
 * `-s, --select <selector>`, repeatable: every value given, in order (cac gives one value bare, several as an array).
 * `-s a b` reaches cac as `-s a -s b` (`checkArgv`).
 */
export function listFlag(spelling: string, description: string): Flag<string[]> {
  return {
    spelling,
    description,
    repeatable: true,
    read: (raw) => (raw === undefined || raw === null || raw === false ? [] : (Array.isArray(raw) ? raw : [raw]).map(String)),
  };
}

/**
 * The key cac files a flag's value under: the longest name, camel-cased, without `no-`
 * (`-s, --select <selector>` → `select`, `--full-refresh` → `fullRefresh`, `--no-checks` → `checks`).
 */
export function cacKey(spelling: string): string {
  const names = spelling
    .replace(/[<[].*$/, '')
    .split(',')
    .map((n) => n.trim().replace(/^-{1,2}/, '').replace(/^no-/, '').replace(/([a-z])-([a-z])/g, (_, a: string, b: string) => a + b.toUpperCase()));
  return names.reduce((longest, n) => (n.length > longest.length ? n : longest), '');
}

/** Reads every declared flag from cac's parsed options. */
export function readFlags<F>(declarations: FlagDeclarations<F>, raw: Record<string, unknown>): F {
  const entries = Object.entries<Flag<unknown>>(declarations).map(([key, flag]) => [key, flag.read(raw[cacKey(flag.spelling)])]);
  return Object.fromEntries(entries) as F;
}
