// `duckmetrics publish`: promotes the last plan's previews, or says why it refused (what changed since the plan).
import pc from 'picocolors';
import { EXIT } from '../exit-codes.ts';
import { count, print, printJson } from '../output.ts';
import { withEngine } from '../with-engine.ts';
import type { PublishFlags } from './publish.flags.ts';

/** `duckmetrics publish [--json]`: exit 0 when the whole plan was published, 1 when refused or partly blocked. */
export default async function publish(flags: PublishFlags): Promise<number> {
  return withEngine(flags, async (engine) => {
    const result = await engine.publish();
    if (flags.json) {
      printJson(result);
      return result.ok ? EXIT.ok : EXIT.failed;
    }
    if (result.refused.length > 0) {
      print(pc.red('Not published: the plan is out of date or missing'));
      for (const r of result.refused) print(`  ${r}`);
      return EXIT.failed;
    }
    for (const p of result.published) print(`${pc.green('✓')} ${p.name}  ${p.rows === null ? 'view' : `${count(p.rows)} rows`}  published`);
    for (const b of result.blocked) print(`${pc.red('✗')} ${b.name}  not published: ${b.reason}`);
    print();
    print(`Published ${result.published.length} metric(s)${result.blocked.length ? pc.red(`, ${result.blocked.length} blocked`) : ''}. duckmetrics rollback <metric> puts a table's previous version back.`);
    return result.ok ? EXIT.ok : EXIT.failed;
  });
}
