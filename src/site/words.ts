import type { HealthTag, SiteFlag } from './site-data.js';

/** "in 17 days", "today", "3 days overdue". */
export function countdown(daysLeft: number | undefined): string {
  if (daysLeft === undefined) return 'never';
  if (daysLeft === 0) return 'today';
  if (daysLeft > 0) return `in ${daysLeft} day${daysLeft === 1 ? '' : 's'}`;
  return `${-daysLeft} day${daysLeft === -1 ? '' : 's'} overdue`;
}

export const TAG_LABELS: Record<HealthTag, string> = {
  expired: 'expired',
  expiring: 'expiring soon',
  stale: 'stale',
  unused: 'unused',
  orphaned: 'orphaned',
  invalid: 'invalid file',
};

/** The states as a filter names them; an environment's badge says more (stateLabel). */
export const STATE_LABELS = { on: 'the same for everyone', partial: 'to some', off: 'off' } as const;

/** An environment's badge: "on for everyone" only when everyone gets true; a string or number flag serving one value is "the same for everyone". */
export function stateLabel(state: keyof typeof STATE_LABELS, servesTrue: boolean): string {
  return state === 'on' && servesTrue ? 'on for everyone' : STATE_LABELS[state];
}

/** A flag page's path from the site's top. Keys that are not safe file names (orphaned keys read by code) get a number. */
export function pagePaths(flags: readonly SiteFlag[]): Map<SiteFlag, string> {
  const out = new Map<SiteFlag, string>();
  const taken = new Set<string>();
  let n = 0;
  for (const flag of flags) {
    const folder = flag.status === 'orphaned' ? 'orphaned' : 'flags';
    let name = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(flag.key) ? flag.key : `key-${++n}`;
    // Keys that differ only in case would share a file on macOS and Windows.
    while (taken.has(`${folder}/${name}`.toLowerCase())) name = `${name}~${++n}`;
    taken.add(`${folder}/${name}`.toLowerCase());
    out.set(flag, `${folder}/${name}.html`);
  }
  return out;
}

/** An owner's anchor on the owners page. */
export const ownerAnchor = (owner: string) => `owner-${owner.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'none'}`;
