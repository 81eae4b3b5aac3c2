// The text report: one line per row with medians, ratio and target, then what each side ran.

/** Formats the report object (the same one `--json` prints) as a table. */
export function formatReport(report) {
  const m = report.machine;
  const out = [
    '',
    `duckmetrics bench · ${report.date.slice(0, 10)} · commit ${report.source.commit}${report.source.uncommittedPackages ? ' + uncommitted changes in packages/' : ''} · node ${m.node} · ${m.cpu} × ${m.cores} cores · DuckDB node-api ${m.duckdbNodeApi}`,
    `${report.options.rounds} rounds after a warm-up, sides alternating (A B A B …); medians of whole-process wall time`,
    'ratio = median over rounds of tool / floor wall time (cpu: the same for user + system CPU time); peak RSS after the time',
    '',
  ];
  const table = [['#', 'case', 'tool', 'floor', 'ratio', 'cpu', 'target', '']];
  const legend = [];
  for (const c of report.cases) {
    if (c.skipped) {
      table.push([String(c.number), c.title, 'skipped', '', '', '', '', '']);
      legend.push(`${c.number}. ${c.title}: skipped: ${c.skipped}`);
      continue;
    }
    if (c.error) {
      table.push([String(c.number), c.title, 'ERROR', '', '', '', '', '']);
      legend.push(`${c.number}. ${c.title}: ${c.error.split('\n').join('\n     ')}`);
      continue;
    }
    for (const row of c.rows) {
      const growth = row.kind === 'growth';
      table.push([
        String(c.number),
        row.name,
        growth ? `${row.tool.medianMs} ms/m` : ms(row.tool.medianMs) + (row.showRss ? rss(row.tool) : ''),
        growth ? `${row.floor.medianMs} ms/m` : ms(row.floor.medianMs) + (row.showRss ? rss(row.floor) : ''),
        row.ratio.toFixed(2),
        row.cpuRatio == null ? '' : row.cpuRatio.toFixed(2),
        row.target === null ? '' : `≤ ${row.target.toFixed(2)}`,
        row.met === null ? '' : row.met ? 'met' : 'MISSED',
      ]);
      if (!growth) {
        const parts = (side) => (side.partsMedianMs ? ` (${side.partsMedianMs.map(ms).join(' + ')})` : '');
        const perMetric = row.toolMsPerMetric === undefined ? '' : `; per metric ${row.toolMsPerMetric} ms vs ${row.floorMsPerMetric} ms`;
        legend.push(`${c.number}. ${row.name}: tool = ${row.toolLabel}${parts(row.tool)}; floor = ${row.floorLabel}${parts(row.floor)}${perMetric}`);
      } else {
        const per = row.perMetricMs.map((p) => `${p.ms} ms at ${p.metrics.toLocaleString('en-US')}`).join(', ');
        legend.push(`${c.number}. ${row.name}: tool time per metric ${per}; each added metric ${row.marginalMsPerMetric.join(' then ')} ms (≤ 1.10: no worse than linear)`);
      }
    }
  }
  const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
  for (const [i, r] of table.entries()) {
    out.push(r.map((cell, j) => (j >= 2 && j <= 5 ? cell.padStart(widths[j]) : cell.padEnd(widths[j]))).join('  ').trimEnd());
    if (i === 0) out.push(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  out.push('', ...legend, '', `total ${report.seconds} s`, '');
  return out.join('\n');
}

function ms(value) {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

function rss(side) {
  return side.peakRssMb === undefined ? '' : `, ${Math.round(side.peakRssMb)} MB`;
}
