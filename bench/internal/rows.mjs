// Result rows: medians of two sides and their ratio, checked against a target.
import { median, medianMs } from './measure.mjs';

/**
 * A row comparing `tool` samples to `floor` samples: medians (ms), ratio tool / floor, and whether the ratio
 * meets `target` (a maximum; `undefined` when the row is for information only).
 */
export function comparison({ name, tool, floor, toolLabel, floorLabel, target, extra = {} }) {
  const toolMs = medianMs(tool);
  const floorMs = medianMs(floor);
  const ratio = toolMs / floorMs;
  const row = {
    name,
    toolLabel,
    floorLabel,
    tool: summary(tool),
    floor: summary(floor),
    ratio,
    target: target ?? null,
    met: target === undefined ? null : ratio <= target,
    ...extra,
  };
  return row;
}

function summary(samples) {
  const out = { medianMs: round(medianMs(samples)), samplesMs: samples.map((s) => round(s.ms)) };
  if (samples.some((s) => s.rssKb !== undefined)) out.peakRssMb = round(median(samples.map((s) => s.rssKb ?? 0)) / 1024);
  if (samples.some((s) => s.parts)) out.partsMedianMs = samples[0].parts.map((_, i) => round(median(samples.map((s) => s.parts[i]))));
  return out;
}

/** Rounds to 0.1. */
export const round = (x) => Math.round(x * 10) / 10;
