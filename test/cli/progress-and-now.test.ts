import { describe, expect, it } from 'vitest';
import { parseNow } from '../../src/cli/now.js';
import { Progress } from '../../src/cli/progress.js';

describe('progress on stderr', () => {
  const run = (stderrTTY: boolean) => {
    const written: string[] = [];
    let now = 0;
    const progress = new Progress({ stderr: (t) => written.push(t), stderrTTY }, 'scanning', () => now);
    progress.update(10, 1000);
    now = 999;
    progress.update(20, 1000);
    now = 1500;
    progress.update(1234, 5000);
    now = 1550;
    progress.update(1300, 5000);
    progress.end();
    return written;
  };

  it('appears after a second on a terminal, throttled, and clears its line', () => {
    expect(run(true)).toEqual(['\r\u001b[Kscanning 1,234/5,000 files (24%)', '\r\u001b[K']);
  });

  it('never appears when stderr is not a terminal', () => {
    expect(run(false)).toEqual([]);
  });
});

describe('--now', () => {
  const clock = () => Date.parse('2026-11-22T10:00:00Z');
  it.each([
    ['2026-12-01', '2026-12-01T00:00:00.000Z'],
    ['2026-12-01T09:30:00+02:00', '2026-12-01T07:30:00.000Z'],
    ['+7d', '2026-11-29T10:00:00.000Z'],
  ])('%s', (value, iso) => {
    expect(new Date(parseNow(value, clock)).toISOString()).toBe(iso);
  });

  it.each(['tomorrow', '2026-13-45', '7d', '2026-12-01T09:30'])('refuses %s', (value) => {
    expect(() => parseNow(value, clock)).toThrow(/--now takes a date/);
  });
});
