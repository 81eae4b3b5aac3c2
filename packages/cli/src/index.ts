// The package's API: `main` (the CLI as a function) and its exit codes.
export { main } from './cli.ts';
export { EXIT } from './exit-codes.ts';
