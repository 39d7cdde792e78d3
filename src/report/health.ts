import type { FlagUsage } from '../core/lifecycle/scan/findings/lifecycle.js';

/** How far ahead the health table looks for flags about to expire. */
export const EXPIRING_WITHIN_DAYS = 14;

interface Row {
  owner: string;
  flags: number;
  expired: number;
  expiring: number;
  unused: number;
  stale: number;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Counts per owner: expired, expiring within 14 days (its last day not yet passed), unused, stale. */
export function healthRows(flags: readonly FlagUsage[], now: number): Row[] {
  const today = day(now);
  const horizon = day(now + EXPIRING_WITHIN_DAYS * 86_400_000);
  const rows = new Map<string, Row>();
  for (const flag of flags) {
    if (flag.status === 'invalid') continue;
    const owner = flag.owner ?? '(no owner)';
    const row = rows.get(owner) ?? { owner, flags: 0, expired: 0, expiring: 0, unused: 0, stale: 0 };
    row.flags++;
    if (flag.status === 'expired') row.expired++;
    else if (flag.expires !== undefined && flag.expires >= today && flag.expires <= horizon) row.expiring++;
    if (flag.status === 'unused') row.unused++;
    if (flag.status === 'stale') row.stale++;
    rows.set(owner, row);
  }
  // Owners with the most to do first, then by name.
  const weight = (r: Row) => r.expired * 1000 + r.expiring * 100 + r.stale * 10 + r.unused;
  return [...rows.values()].sort((a, b) => weight(b) - weight(a) || (a.owner < b.owner ? -1 : 1));
}

/** A compact table for a pull request's job summary: flag health by owner, with a total. */
export function formatHealthMarkdown(flags: readonly FlagUsage[], now: number): string {
  const rows = healthRows(flags, now);
  if (rows.length === 0) return '';
  const total: Row = { owner: '**all owners**', flags: 0, expired: 0, expiring: 0, unused: 0, stale: 0 };
  for (const r of rows) for (const k of ['flags', 'expired', 'expiring', 'unused', 'stale'] as const) total[k] += r[k];
  const cell = (n: number, mark: string) => (n === 0 ? '0' : `${mark} ${n}`);
  const line = (r: Row) =>
    `| ${r.owner.replace(/\|/g, '\\|')} | ${r.flags} | ${cell(r.expired, '🔴')} | ${cell(r.expiring, '🟠')} | ${cell(r.unused, '⚪')} | ${cell(r.stale, '🟡')} |`;
  return [
    '#### Flag health',
    '',
    `| Owner | Flags | Expired | Expiring within ${EXPIRING_WITHIN_DAYS} days | Unused | Stale |`,
    '|---|---|---|---|---|---|',
    ...rows.map(line),
    ...(rows.length > 1 ? [line(total)] : []),
    '',
  ].join('\n');
}
