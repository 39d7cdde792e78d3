import { describe, expect, it } from 'vitest';
import type { FlagUsage } from '../../src/core/lifecycle/scan/findings/lifecycle.js';
import { formatHealthMarkdown, healthRows } from '../../src/report/health.js';

const now = Date.parse('2026-11-27T10:00:00Z');
const usage = (key: string, owner: string, status: FlagUsage['status'], expires?: string): FlagUsage => ({
  key,
  file: `flags/${key}.yaml`,
  owner,
  status,
  references: 0,
  files: 0,
  ...(expires ? { expires } : {}),
});

describe('the health table of a pull request summary', () => {
  const flags = [
    usage('a', '@acme/payments', 'expired', '2026-11-20'),
    usage('b', '@acme/payments', 'active', '2026-11-27'),
    usage('c', '@acme/payments', 'expiring', '2026-12-11'),
    usage('d', '@acme/payments', 'active', '2026-12-12'),
    usage('e', '@acme/web', 'unused'),
    usage('f', '@acme/web', 'stale'),
    usage('g', '@acme/growth', 'active'),
    usage('h', '@acme/growth', 'invalid'),
  ];

  it('counts per owner: expired, last day within 14 days (today included), unused, stale; invalid files apart', () => {
    expect(healthRows(flags, now)).toEqual([
      { owner: '@acme/payments', flags: 4, expired: 1, expiring: 2, unused: 0, stale: 0 },
      { owner: '@acme/web', flags: 2, expired: 0, expiring: 0, unused: 1, stale: 1 },
      { owner: '@acme/growth', flags: 1, expired: 0, expiring: 0, unused: 0, stale: 0 },
    ]);
  });

  it('renders a compact markdown table with a total', () => {
    expect(formatHealthMarkdown(flags, now).split('\n').slice(4)).toEqual([
      '| @acme/payments | 4 | 🔴 1 | 🟠 2 | 0 | 0 |',
      '| @acme/web | 2 | 0 | 0 | ⚪ 1 | 🟡 1 |',
      '| @acme/growth | 1 | 0 | 0 | 0 | 0 |',
      '| **all owners** | 7 | 🔴 1 | 🟠 2 | ⚪ 1 | 🟡 1 |',
      '',
    ]);
    expect(formatHealthMarkdown([], now)).toBe('');
  });
});
