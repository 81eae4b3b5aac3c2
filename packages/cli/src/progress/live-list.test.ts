// Unit tests of the live progress list on a fake terminal, and of which progress list a command gets.
import { describe, expect, it } from 'vitest';
import { LiveList } from './live-list.ts';
import { plainList, progressList, silentList } from './progress-list.ts';

// eslint-disable-next-line no-control-regex
const plain = (s: string): string => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

/** A terminal as far as log-update cares: what is written is kept. */
function fakeTerminal(rows = 24): { isTTY: true; columns: number; rows: number; written: string; write(chunk: string): boolean } {
  return {
    isTTY: true,
    columns: 100,
    rows,
    written: '',
    write(chunk: string) {
      this.written += chunk;
      return true;
    },
  };
}

describe('LiveList (the live progress list, on a fake terminal)', () => {
  it('shows validation, then queued, running with elapsed time, and done items printed above for good', () => {
    const terminal = fakeTerminal();
    let now = 1000;
    const list = new LiveList(terminal, { now: () => now, interval: 0 });
    list.status('validating 3 metric files');
    expect(plain(list.frame())).toMatch(/^. validating 3 metric files… 0\.0 s$/);

    list.queue(['a', 'b', 'c']);
    list.start('a');
    now += 1250;
    list.render();
    expect(plain(list.frame()).split('\n')).toEqual([
      expect.stringMatching(/^. a\s+running 1\.3 s$/),
      expect.stringMatching(/^· b\s+queued$/),
      expect.stringMatching(/^· c\s+queued$/),
      '0/3 done · 1.3 s',
    ]);
    expect(plain(terminal.written)).toContain('running 1.3 s');

    list.finish('a', '✓ a   3 rows   12 ms');
    list.start('b');
    list.finish('b', '✗ b   failed: build failed', true);
    expect(terminal.written).toContain('✓ a   3 rows   12 ms\n');
    expect(plain(list.frame()).split('\n')).toEqual([expect.stringMatching(/^· c\s+queued$/), '2/3 done · 1 failed · 1.3 s']);

    list.finish('c', '– c   up to date');
    list.stop();
    const before = terminal.written;
    list.finish('late', 'ignored after stop');
    list.render();
    expect(terminal.written).toBe(before);
    // the last thing written erases the live part: only the finished lines stay on screen
    expect(terminal.written.lastIndexOf('– c   up to date\n')).toBeGreaterThan(terminal.written.lastIndexOf('queued'));
  });

  it('keeps to a third of the terminal, so finished lines stay in view: the rest of the queue is a count', () => {
    for (const [rows, shown] of [[24, 5], [60, 17], [8, 1]] as const) {
      const list = new LiveList(fakeTerminal(rows), { now: () => 0, interval: 0 });
      list.queue(Array.from({ length: 40 }, (_, i) => `m${i}`));
      list.start('m0');
      const lines = plain(list.frame()).split('\n');
      expect(lines.length, `rows ${rows}`).toBeLessThanOrEqual(Math.max(4, Math.floor(rows / 3)));
      expect(lines.filter((l) => l.endsWith('queued') && !l.includes('more'))).toHaveLength(shown);
      expect(lines.at(-2)).toBe(`  … ${39 - shown} more queued`);
      list.stop();
    }
  });
});

describe('progressList', () => {
  const tty = { isTTY: true, rows: 24, columns: 80, write: () => true };
  it('picks silent for --json, plain off a terminal, with --no-progress, in CI, on a dumb or sizeless terminal', async () => {
    expect(await progressList({ json: true }, tty, {})).toBe(silentList);
    expect(await progressList({}, { write: () => true }, {})).toBe(plainList);
    expect(await progressList({ progress: false }, tty, {})).toBe(plainList);
    expect(await progressList({}, tty, { CI: 'true' })).toBe(plainList);
    expect(await progressList({}, tty, { TERM: 'dumb' })).toBe(plainList);
    expect(await progressList({}, { ...tty, rows: 0, columns: 0 }, {})).toBe(plainList);
    const live = await progressList({}, tty, {});
    expect(live).toBeInstanceOf(LiveList);
    live.stop();
  });
});
