// Case 2: `duckmetrics validate` of 400 metrics vs 400 bare EXPLAINs in one process: cold (a database with only
// the sources, so no project cache) and warm (the same files validated before).
import { OLIST_FILES, olistData } from '../internal/olist-data.mjs';
import { alternate } from '../internal/measure.mjs';
import { loadedProject, restoreDatabase, syntheticMetrics } from '../internal/projects.mjs';
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
      { name: 'cold', prepare: () => restoreDatabase(project.pristine, project.database), measure: () => cli(['validate', '--cwd', project.dir]) },
      { name: 'warm', measure: () => cli(['validate', '--cwd', project.dir]) },
      { name: 'floor', measure: () => floor('explain', [project.floorDatabase, project.statements]) },
    ], { rounds: options.rounds });
    const floorLabel = `floor-explain.mjs (${count} EXPLAINs, one process)`;
    return [
      comparison({
        name: `validate ${count} metrics, cold`,
        tool: samples.cold, toolLabel: 'duckmetrics validate on a database with only the sources (no project cache)',
        floor: samples.floor, floorLabel,
        target: 1.25,
      }),
      comparison({
        name: `validate ${count} metrics, unchanged`,
        tool: samples.warm, toolLabel: 'duckmetrics validate again (each file and its validation from the project cache)',
        floor: samples.floor, floorLabel,
        target: 1.0,
      }),
    ];
  },
};
