// `duckmetrics validate`: its --help line and flags.
import type { CommandSpec } from '../flags/command-spec.ts';
import type { GlobalFlags, SelectionFlags } from '../flags/common-flags.ts';
import { SELECTION_FLAGS } from '../flags/common-flags.ts';

export interface ValidateFlags extends GlobalFlags, SelectionFlags {}

export const validateCommand: CommandSpec<ValidateFlags> = {
  usage: 'validate',
  description: 'Check every metric file and its SQL, without building anything',
  flags: { ...SELECTION_FLAGS },
};
