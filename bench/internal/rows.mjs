// Result rows: medians of two sides and their ratio, checked against a target.
import { median, medianMs } from './measure.mjs';

/**
 * A row comparing `tool` samples to `floor` samples taken in the same rounds. `ratio` is the median of the
 * per-round ratios tool / floor (pairing keeps it steady when the machine's speed drifts between rounds);
 * `cpuRatio` the same for user + system CPU time when measured. `met` says whether `ratio` ≤ `target`
 * (`null` for rows shown for information).
 */
export function comparison({ name, tool, floor, toolLabel, floorLabel, target, extra = {} }) {
  const ratio = pairedRatio(tool, floor, 'ms');
  const cpuRatio = tool.every((s) => s.cpuMs) && floor.every((s) => s.cpuMs) ? pairedRatio(tool, floor, 'cpuMs') : null;
  return {
    name,
    toolLabel,
    floorLabel,
    tool: summary(tool),
    floor: summary(floor),
    ratio,
    ratioOfMedians: medianMs(tool) / medianMs(floor),
    cpuRatio,
    target: target ?? null,
    met: target === undefined ? null : ratio <= target,
    ...extra,
  };
}

function pairedRatio(tool, floor, key) {
  return median(tool.map((s, i) => s[key] / floor[i][key]));
}

function summary(samples) {
  const out = { medianMs: round(medianMs(samples)), samplesMs: samples.map((s) => round(s.ms)) };
  if (samples.every((s) => s.cpuMs !== undefined)) out.cpuMedianMs = round(median(samples.map((s) => s.cpuMs)));
  if (samples.every((s) => s.rssKb !== undefined)) out.peakRssMb = round(median(samples.map((s) => s.rssKb)) / 1024);
  if (samples.every((s) => s.parts)) out.partsMedianMs = samples[0].parts.map((_, i) => round(median(samples.map((s) => s.parts[i]))));
  return out;
}

/** Rounds to 0.1. */
export const round = (x) => Math.round(x * 10) / 10;
