// `duckmetrics docs`: its --help line and flags.
import type { CommandSpec } from '../flags/command-spec.ts';
import type { GlobalFlags } from '../flags/common-flags.ts';
import { booleanFlag, valueFlag } from '../flags/flag.ts';

export interface DocsFlags extends GlobalFlags {
  /** `--out DIR`: the folder to write the site to (default `site`, relative to `--cwd`). */
  readonly out: string | undefined;
  /** `--serve`: serve the site on 127.0.0.1 with live reload. */
  readonly serve: boolean;
  /** `--port N`: the port for `--serve` (checked by `docs`). */
  readonly port: string | undefined;
}

export const docsCommand: CommandSpec<DocsFlags> = {
  usage: 'docs',
  description: 'Write the catalog site (metrics, sources, lineage) to --out, or serve it with live reload',
  flags: {
    out: valueFlag('--out <dir>', 'Folder to write the site to (default: site)'),
    serve: booleanFlag('--serve', 'Serve the site on 127.0.0.1 and rebuild it when the project changes'),
    port: valueFlag('--port <n>', 'Port for --serve (default: 8080; 0: any free port)'),
  },
};
