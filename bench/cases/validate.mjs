// Case 2: `duckmetrics validate` of 400 metrics vs 400 bare EXPLAINs in one process.
import { OLIST_FILES, olistData } from '../internal/olist-data.mjs';
import { alternate } from '../internal/measure.mjs';
import { loadedProject, syntheticMetrics } from '../internal/projects.mjs';
import { comparison } from '../internal/rows.mjs';

export default {
  id: 'validate',
  title: 'validate many metrics',
  timing: 'whole process',
  async run({ options, cli, floor, log }) {
    const count = options.quick ? 40 : 400;
    const { dir: dataDir } = await olistData({ customers: options.customers, seed: options.seed, log });
    const project = await loadedProject(`metrics-${count}`, { dataDir, files: OLIST_FILES, metrics: syntheticMetrics(count), cli });
    const samples = await alternate([
      { name: 'tool', measure: () => cli(['validate', '--cwd', project.dir]) },
      { name: 'floor', measure: () => floor('explain', [project.floorDatabase, project.statements]) },
    ], { rounds: options.rounds });
    return [
      comparison({
        name: `validate ${count} metrics`,
        tool: samples.tool, toolLabel: 'duckmetrics validate',
        floor: samples.floor, floorLabel: `floor-explain.mjs (${count} EXPLAINs, one process)`,
        target: 1.5,
      }),
    ];
  },
};
