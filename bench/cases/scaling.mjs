// Case 5: validate and run of 200, 1,000 and 2,000 metrics: time per metric, and whether it grows linearly.
import { OLIST_FILES, olistData } from '../internal/olist-data.mjs';
import { alternate, medianMs } from '../internal/measure.mjs';
import { loadedProject, restoreDatabase, syntheticMetrics } from '../internal/projects.mjs';
import { comparison, round } from '../internal/rows.mjs';

export default {
  id: 'scaling',
  title: 'thousands of metrics',
  timing: 'whole process',
  async run({ options, cli, floor, log }) {
    const sizes = options.quick ? [20, 50, 100] : [200, 1000, 2000];
    // The point is the cost per metric, not per row: a tenth of the main scale keeps each metric's query small.
    const customers = Math.max(1000, Math.round(options.customers / 10));
    const rounds = Math.min(options.rounds, 3);
    const { dir: dataDir } = await olistData({ customers, seed: options.seed, log });
    const all = syntheticMetrics(sizes.at(-1));
    const rows = [];
    const perStep = { validate: [], run: [] };
    const projects = [];
    for (const size of sizes) {
      projects.push({ size, ...(await loadedProject(`scaling-${size}`, { dataDir, files: OLIST_FILES, metrics: all.slice(0, size), cli })) });
    }
    // Every size in every round, so a machine that speeds up or slows down during the case cannot fake a trend.
    const samples = await alternate(projects.flatMap((project) => [
      { name: `validate-${project.size}`, measure: () => cli(['validate', '--cwd', project.dir]) },
      { name: `explain-${project.size}`, measure: () => floor('explain', [project.floorDatabase, project.statements]) },
      { name: `run-${project.size}`, prepare: () => restoreDatabase(project.pristine, project.database), measure: () => cli(['run', '--cwd', project.dir]) },
      { name: `build-${project.size}`, prepare: () => restoreDatabase(project.pristine, project.floorDatabase), measure: () => floor('build', [project.floorDatabase, project.statements]) },
    ]), { rounds });
    for (const { size } of projects) {
      for (const [step, bare, label] of [['validate', 'explain', 'floor-explain.mjs'], ['run', 'build', 'floor-build.mjs']]) {
        const tool = samples[`${step}-${size}`];
        const floorSamples = samples[`${bare}-${size}`];
        rows.push(comparison({
          name: `${step} ${size.toLocaleString('en-US')} metrics (${customers.toLocaleString('en-US')} customers)`,
          tool, toolLabel: `duckmetrics ${step}`,
          floor: floorSamples, floorLabel: label,
          extra: { metrics: size, toolMsPerMetric: round(medianMs(tool) / size), floorMsPerMetric: round(medianMs(floorSamples) / size) },
        }));
        perStep[step].push({ size, ms: medianMs(tool) });
      }
    }
    // Linear growth keeps the time per metric flat (a fixed start-up makes it fall a little as the count grows);
    // anything growing faster than the count shows as a ratio above 1 between the two largest sizes.
    for (const [step, points] of Object.entries(perStep)) {
      const [small, mid, large] = points.map((p) => ({ ...p, perMetric: p.ms / p.size }));
      const slope = (a, b) => round((b.ms - a.ms) / (b.size - a.size));
      rows.push({
        name: `${step}: ms per metric at ${large.size.toLocaleString('en-US')} / at ${mid.size.toLocaleString('en-US')}`,
        toolLabel: `ms per metric at ${large.size}`,
        floorLabel: `ms per metric at ${mid.size}`,
        tool: { medianMs: round(large.perMetric) },
        floor: { medianMs: round(mid.perMetric) },
        ratio: large.perMetric / mid.perMetric,
        target: 1.1,
        met: large.perMetric / mid.perMetric <= 1.1,
        kind: 'growth',
        perMetricMs: points.map((p) => ({ metrics: p.size, ms: round(p.ms / p.size) })),
        marginalMsPerMetric: [slope(small, mid), slope(mid, large)],
      });
    }
    return rows;
  },
};
