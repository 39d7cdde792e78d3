/** The fields of an audit entry that say what a kill or unkill did (see docs/redis-layout.md). */
export interface OverrideAudit {
  kind: string;
  flag?: string;
  variant?: string;
  actor: string;
  at: string;
  reason?: string;
}

/** A kill switch the audit says is set, that the store no longer holds. */
export interface LostOverride {
  flag: string;
  /** The variant it served (absent in audit entries written before flagops recorded it). */
  variant?: string;
  actor: string;
  at: string;
  reason?: string;
}

/**
 * Kill switches whose newest kill/unkill entry in the audit is a kill, but which are not among the
 * live overrides: an `_overrides` hash lost to eviction, a hand-made HDEL, a restore from an older
 * backup. `audit` is newest first. A store that lost its audit too cannot be checked this way.
 */
export function lostOverrides(audit: readonly OverrideAudit[], live: { has(flag: string): boolean }): LostOverride[] {
  const decided = new Set<string>();
  const lost: LostOverride[] = [];
  for (const entry of audit) {
    if ((entry.kind !== 'kill' && entry.kind !== 'unkill') || !entry.flag || decided.has(entry.flag)) continue;
    decided.add(entry.flag);
    if (entry.kind === 'kill' && !live.has(entry.flag)) {
      lost.push({
        flag: entry.flag,
        ...(entry.variant ? { variant: entry.variant } : {}),
        actor: entry.actor,
        at: entry.at,
        ...(entry.reason ? { reason: entry.reason } : {}),
      });
    }
  }
  return lost.sort((a, b) => (a.flag < b.flag ? -1 : 1));
}

/** One line for a person: what was lost, and the command that sets it again. */
export function describeLostOverride(o: LostOverride, environment: string): string {
  const serves = o.variant ? ` (serving ${o.variant})` : '';
  const why = o.reason ? `: ${o.reason}` : '';
  const again = `flagops kill ${o.flag} --env ${environment}${o.variant ? ` --variant ${o.variant}` : ''} --reason "…"`;
  return `${o.flag} was killed${serves} by ${o.actor} at ${o.at}${why}, and no unkill was recorded, but the store no longer holds the override: it serves its flag file again. If the kill still stands: ${again}`;
}
