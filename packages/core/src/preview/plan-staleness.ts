// Whether the last plan still holds: what changed since it (metric files, sources, published tables), as messages.
import type { BuildStep } from '../project/build-plan.ts';
import type { PlanFingerprints, PlanRecord } from '../state/plans.ts';

/**
 * Why the previews of `plan` may no longer be published, one message each (empty: nothing changed). `steps` is the
 * plan made again now from the same selection; `now` what the database holds now. A preview is stale when its
 * metric's definition or inputs (the fingerprints of what it reads) changed, or when a published table it replaces
 * or reads was built again, or a source it reads was reloaded.
 */
export function planStaleness(plan: PlanRecord, steps: readonly BuildStep[], now: PlanFingerprints): string[] {
  const reasons = new Set<string>();
  const stepOf = new Map(steps.map((s) => [s.metric.name.toLowerCase(), s]));
  // A previewed upstream's change is reported as its own; its downstream's inputs changed with it.
  const planned = new Set(plan.metrics.map((m) => m.name.toLowerCase()));
  for (const m of plan.metrics) {
    const key = m.name.toLowerCase();
    const step = stepOf.get(key);
    if (!step) {
      reasons.add(`metric ${m.name} (${m.file}) is no longer in the project`);
      continue;
    }
    const hashes = step.hashes;
    if (step.action === 'skip' && step.reason !== 'up to date') reasons.add(`metric ${m.name} would not be built now: ${step.reason}`);
    if (hashes && hashes.definitionHash !== m.definitionHash) reasons.add(`metric file ${step.metric.file} changed since the plan`);
    else if (hashes && hashes.inputHash !== m.inputHash) {
      for (const [name, fingerprint] of Object.entries(hashes.upstream)) {
        if (m.upstream[name] === fingerprint || planned.has(name)) continue;
        reasons.add(name in now.sources ? `source ${name} changed since the plan` : `upstream ${name} changed since the plan`);
      }
    }
    for (const name of [key, ...Object.keys(m.upstream)]) {
      if ((plan.fingerprints.tables[name] ?? null) !== (now.tables[name] ?? null)) reasons.add(`the published table ${name} was built again since the plan`);
      if (name in plan.fingerprints.sources && plan.fingerprints.sources[name] !== now.sources[name] && !reasons.has(`source ${name} changed since the plan`)) reasons.add(`source ${name} was loaded again since the plan`);
    }
  }
  return [...reasons];
}
