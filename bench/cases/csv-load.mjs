// Case 6: `duckmetrics setup` of one ~10M-row CSV vs a bare CREATE TABLE … AS SELECT * FROM read_csv(…); peak RSS.
import { olistData } from '../internal/olist-data.mjs';
import { alternate } from '../internal/measure.mjs';
import { makeProject, removeDatabase } from '../internal/projects.mjs';
import { comparison } from '../internal/rows.mjs';

// The generator writes ~1.612 order items per customer: 6.21M customers give just over 10M rows.
const FULL_CUSTOMERS = 6_210_000;
const QUICK_CUSTOMERS = 20_000;

export default {
  id: 'csv-load',
  title: 'large CSV load',
  timing: 'whole process, peak RSS',
  async run({ options, cli, floor, log }) {
    const customers = options.quick ? QUICK_CUSTOMERS : FULL_CUSTOMERS;
    const { dir: dataDir, rows } = await olistData({ customers, seed: options.seed, log });
    const project = makeProject('csv-load', { dataDir, files: ['order_items.csv'], metrics: [] });
    const floorDb = `${project.dir}/floor.duckdb`;
    const samples = await alternate([
      { name: 'tool', prepare: () => removeDatabase(project.database), measure: () => cli(['setup', '--cwd', project.dir], { rss: true }) },
      { name: 'floor', prepare: () => removeDatabase(floorDb), measure: () => floor('load', [floorDb, ...project.csv], { rss: true }) },
    ], { rounds: options.rounds });
    removeDatabase(project.database);
    removeDatabase(floorDb);
    return [
      comparison({
        name: `load order_items.csv, ${rows.order_items.toLocaleString('en-US')} rows`,
        tool: samples.tool, toolLabel: 'duckmetrics setup',
        floor: samples.floor, floorLabel: 'floor-load.mjs (CREATE TABLE AS SELECT * FROM read_csv)',
        target: 1.05,
        extra: { rows: rows.order_items, showRss: true },
      }),
    ];
  },
};
