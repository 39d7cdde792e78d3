import type { ParsedArgs } from './command.js';
import { type Io, UsageError } from './io.js';

/**
 * The time a command counts from (expiry, staleness, rollout stages): `--now`, else FLAGOPS_NOW,
 * else the clock. FLAGOPS_NOW pins a whole run (a demo, a test, a reproducible CI job).
 */
export function nowOf(args: ParsedArgs, io: Pick<Io, 'env'>, clock: () => number = Date.now): number {
  const given = args.values.now as string | undefined;
  if (given !== undefined) return parseNow(given, clock);
  const pinned = io.env.FLAGOPS_NOW;
  return pinned ? parseNow(pinned, clock, 'FLAGOPS_NOW') : clock();
}

/** `--now`: YYYY-MM-DD (midnight UTC), an ISO 8601 time, or +N days from today (+7d). */
export function parseNow(value: string | undefined, clock: () => number = Date.now, name = '--now'): number {
  if (value === undefined) return clock();
  const relative = /^\+(\d{1,4})d$/.exec(value);
  if (relative) return clock() + Number(relative[1]) * 86_400_000;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const ms = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(day) ? Date.parse(day) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new UsageError(`${name} takes a date, not "${value}".`, 'Use YYYY-MM-DD (e.g. 2026-12-01), an ISO time with its offset, or +7d for a week from today.');
  }
  return ms;
}
