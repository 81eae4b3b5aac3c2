// Case 1: `duckmetrics setup` + `duckmetrics run` of the example metrics vs the same CREATE TABLE statements bare.
import { OLIST_FILES, olistData } from '../internal/olist-data.mjs';
import { alternate } from '../internal/measure.mjs';
import { exampleFixtures, exampleMetrics, makeProject, removeDatabase } from '../internal/projects.mjs';
import { comparison } from '../internal/rows.mjs';

export default {
  id: 'pipeline',
  title: 'setup + full run of the example metrics',
  timing: 'whole process (two commands each side)',
  async run({ options, cli, floor, log }) {
    const { dir: dataDir } = await olistData({ customers: options.customers, seed: options.seed, log });
    const metrics = exampleMetrics();
    const project = makeProject('pipeline', { dataDir, files: OLIST_FILES, metrics, fixtures: exampleFixtures });
    const floorDb = `${project.dir}/floor.duckdb`;
    const twoSteps = async (first, second) => {
      const a = await first();
      const b = await second();
      const sample = { ms: a.ms + b.ms, parts: [a.ms, b.ms] };
      if (a.cpuMs !== undefined && b.cpuMs !== undefined) sample.cpuMs = a.cpuMs + b.cpuMs;
      if (a.rssKb !== undefined && b.rssKb !== undefined) sample.rssKb = Math.max(a.rssKb, b.rssKb);
      return sample;
    };
    const samples = await alternate([
      {
        name: 'tool',
        prepare: () => removeDatabase(project.database),
        measure: () => twoSteps(() => cli(['setup', '--cwd', project.dir]), () => cli(['run', '--cwd', project.dir])),
      },
      {
        name: 'floor',
        prepare: () => removeDatabase(floorDb),
        measure: () => twoSteps(() => floor('load', [floorDb, ...project.csv]), () => floor('build', [floorDb, project.statements])),
      },
    ], { rounds: options.rounds });
    return [
      comparison({
        name: `setup + run, ${metrics.length} example metrics, ${options.customers.toLocaleString('en-US')} customers`,
        tool: samples.tool, toolLabel: 'duckmetrics setup; duckmetrics run (checks and unit tests included)',
        floor: samples.floor, floorLabel: 'floor-load.mjs; floor-build.mjs',
        target: 1.1,
      }),
    ];
  },
};
