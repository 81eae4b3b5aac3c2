// `duckmetrics new <name>`: writes `metrics/<name>.yaml` from a template and prints its path, refusing bad or taken names.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pc from 'picocolors';
import { engineOptions } from '../engine-options.ts';
import { EXIT } from '../exit-codes.ts';
import { print, printJson } from '../output.ts';
import { metricTemplate } from '../templates/metric-template.ts';
import type { NewFlags } from './new.flags.ts';

const STAGING_PREFIX = '__duckmetrics_staging_';

/**
 * `duckmetrics new <metric_name>`: writes `metrics/<metric_name>.yaml` from a template and prints its path (alone on
 * stdout, so `code "$(duckmetrics new weekly_revenue)"` opens it). Refuses bad names and existing metrics.
 */
export default async function newMetric(flags: NewFlags, args: string[]): Promise<number> {
  const name = args[0];
  const { DuckmetricsError, findMetricFiles, loadConfig, loadMetricFile, METRIC_NAME_PATTERN } = await import('@duckmetrics/core');
  if (name === undefined || !METRIC_NAME_PATTERN.test(name) || name.length > 63 || name.toLowerCase().startsWith(STAGING_PREFIX)) {
    throw new DuckmetricsError('USAGE', name === undefined ? 'new needs a metric name' : `"${name}" is not a valid metric name`, {
      hint: `a metric name is its table's name: letters, digits and _, not starting with a digit, at most 63 characters${name?.toLowerCase().startsWith(STAGING_PREFIX) ? `, not starting with ${STAGING_PREFIX}` : ''}; e.g. duckmetrics new weekly_revenue`,
    });
  }
  const { cwd, configFile } = engineOptions(flags);
  const config = await loadConfig({ ...(cwd === undefined ? {} : { cwd }), ...(configFile === undefined ? {} : { configFile }) });
  const target = path.join(config.metricsDir, `${name}.yaml`);
  const relative = path.relative(config.root, target).split(path.sep).join('/');
  if (existsSync(target) || existsSync(target.replace(/\.yaml$/, '.yml'))) {
    throw new DuckmetricsError('USAGE', `${relative} already exists`, { file: target, hint: 'edit it, or choose another name' });
  }
  for (const file of existsSync(config.metricsDir) ? await findMetricFiles(config.metricsDir) : []) {
    const loaded = await loadMetricFile(file, config.root);
    if (loaded.name?.toLowerCase() === name.toLowerCase()) {
      throw new DuckmetricsError('USAGE', `a metric named ${loaded.name} already exists in ${loaded.file}`, { file, hint: 'metric names are table names and must be unique (compared case-insensitively)' });
    }
  }
  const depth = path.relative(config.root, config.metricsDir).split(path.sep).filter((p) => p !== '' && p !== '.').length;
  await mkdir(config.metricsDir, { recursive: true });
  await writeFile(target, metricTemplate(name, depth), { flag: 'wx' });
  if (flags.json) {
    printJson({ ok: true, name, file: relative, path: target });
    return EXIT.ok;
  }
  print(path.relative(process.cwd(), target) || target);
  process.stderr.write(pc.dim(`created ${relative}: write its SQL, then duckmetrics validate\n`));
  return EXIT.ok;
}
