// Case 4: `duckmetrics --version` and `--help` vs `node -e 0` (start-up cost of the CLI itself).
import { alternate } from '../internal/measure.mjs';
import { comparison } from '../internal/rows.mjs';

export default {
  id: 'startup',
  title: 'CLI start-up',
  timing: 'whole process',
  async run({ options, cli, node }) {
    // Each process takes tens of ms: more rounds for a steady median.
    const samples = await alternate([
      { name: 'node', measure: () => node(['-e', '0']) },
      { name: 'version', measure: () => cli(['--version']) },
      { name: 'help', measure: () => cli(['--help']) },
    ], { rounds: options.rounds * 4 });
    return ['version', 'help'].map((flag) =>
      comparison({
        name: `duckmetrics --${flag}`,
        tool: samples[flag], toolLabel: `duckmetrics --${flag}`,
        floor: samples.node, floorLabel: 'node -e 0',
        target: 1.3,
      }),
    );
  },
};
