// Case 3: a second `duckmetrics run` with nothing changed vs the first (full) run of the same metrics.
import { OLIST_FILES, olistData } from '../internal/olist-data.mjs';
import { alternate } from '../internal/measure.mjs';
import { loadedProject, restoreDatabase, syntheticMetrics } from '../internal/projects.mjs';
import { comparison } from '../internal/rows.mjs';

export default {
  id: 'rerun',
  title: 'no-change re-run',
  timing: 'whole process',
  async run({ options, cli, floor, log }) {
    const count = options.quick ? 40 : 400;
    const { dir: dataDir } = await olistData({ customers: options.customers, seed: options.seed, log });
    const project = await loadedProject(`metrics-${count}`, { dataDir, files: OLIST_FILES, metrics: syntheticMetrics(count), cli });
    const samples = await alternate([
      // The first run starts from the freshly loaded database, the second finds everything it built unchanged.
      { name: 'first', prepare: () => restoreDatabase(project.pristine, project.database), measure: () => cli(['run', '--cwd', project.dir]) },
      { name: 'second', measure: () => cli(['run', '--cwd', project.dir]) },
      { name: 'floor', prepare: () => restoreDatabase(project.pristine, project.floorDatabase), measure: () => floor('build', [project.floorDatabase, project.statements]) },
    ], { rounds: options.rounds });
    return [
      comparison({
        name: `no-change re-run of ${count} metrics (second run / first run)`,
        tool: samples.second, toolLabel: 'duckmetrics run, again',
        floor: samples.first, floorLabel: 'duckmetrics run, first (full)',
        target: 0.1,
      }),
      comparison({
        name: `full run of ${count} metrics`,
        tool: samples.first, toolLabel: 'duckmetrics run, first (full)',
        floor: samples.floor, floorLabel: `floor-build.mjs (${count} CREATE TABLE … AS)`,
        target: 1.15,
      }),
    ];
  },
};
