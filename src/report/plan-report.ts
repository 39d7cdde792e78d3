import { describeLostOverride, type LostOverride } from '../core/change/overrides.js';
import type { FlagChange } from '../core/change/plan.js';
import { formatSegmentChange, type SegmentChange } from '../core/change/segment-changes.js';
import type { HoldOverride, Override } from '../store/store.js';
import { describeHold } from '../core/guard/describe-hold.js';

/** What plan and sync did for one environment: the data every plan format renders. */
export interface EnvironmentOutcome {
  environment: string;
  store: string;
  live: { revision: number; commit: string; syncedAt: string } | null;
  head?: string;
  changes: FlagChange[];
  /** Segments whose conditions change, and the flags they change. */
  segments: SegmentChange[];
  unchanged: number;
  drift: boolean;
  overrides: Array<{ flag: string } & Override>;
  holds: Array<{ flag: string } & HoldOverride>;
  /** Kill switches the audit says are set that the store no longer holds. */
  lostOverrides: LostOverride[];
  /** Why they could not be checked (the audit was not readable). */
  lostOverridesUnchecked?: string;
  status: 'planned' | 'applied' | 'up-to-date' | 'refused' | 'conflict';
  /** With sync.simpleKeys: simple keys to write and delete, and flags the simple shape cannot express. */
  simpleKeys?: { set: number; removed: number; skipped: Array<{ key: string; reason: string }> };
  revision?: number;
  reason?: string;
  hint?: string;
}

const mark = { added: '+', changed: '~', removed: '-' } as const;
/** A terminal shows this many changed flags per environment; json has them all. */
const MAX_TEXT_CHANGES = 200;
const short = (sha?: string) => (sha ? sha.slice(0, 12) : 'none');

function countChanges(changes: readonly FlagChange[]) {
  return {
    added: changes.filter((c) => c.kind === 'added').length,
    changed: changes.filter((c) => c.kind === 'changed').length,
    removed: changes.filter((c) => c.kind === 'removed').length,
  };
}

function headline(o: EnvironmentOutcome): string {
  const { added, changed, removed } = countChanges(o.changes);
  const counts = `${added} to add, ${changed} to change, ${removed} to remove, ${o.unchanged} unchanged`;
  switch (o.status) {
    case 'planned':
      return o.changes.length === 0 && !o.drift && !(o.simpleKeys && o.simpleKeys.set + o.simpleKeys.removed > 0)
        ? `Up to date (${o.unchanged} flags).`
        : `Plan: ${counts}.`;
    case 'applied':
      return `Synced: ${added} added, ${changed} changed, ${removed} removed, ${o.unchanged} unchanged → revision ${o.revision}.`;
    case 'up-to-date':
      return `Up to date: nothing written (${o.unchanged} flags, revision ${o.live?.revision ?? 0}).`;
    case 'refused':
      return `Refused: ${o.reason}.`;
    case 'conflict':
      return `Not applied: ${o.reason}.`;
  }
}

export function formatPlanText(outcomes: readonly EnvironmentOutcome[]): string {
  const lines: string[] = [];
  for (const o of outcomes) {
    lines.push(`${o.environment} (${o.store})`);
    lines.push(
      o.live
        ? `  live:    revision ${o.live.revision}, commit ${short(o.live.commit)}, synced ${o.live.syncedAt}`
        : '  live:    empty (never synced, or the store lost its data; a sync restores flags, not kill switches)',
    );
    lines.push(`  desired: commit ${short(o.head)}`);
    if (o.drift) lines.push('  drift:   the live flags were changed outside flagops; a sync restores them');
    for (const override of o.overrides) {
      lines.push(`  override: ${override.flag} serves ${override.variant} (${override.reason}, by ${override.actor}); a sync keeps it`);
    }
    for (const hold of o.holds) lines.push(`  ${describeHold(hold)}; a sync keeps it`);
    for (const lost of o.lostOverrides) lines.push(`  OVERRIDE LOST: ${describeLostOverride(lost, o.environment)}`);
    if (o.lostOverridesUnchecked) lines.push(`  note: kill switches not checked against the audit: ${o.lostOverridesUnchecked}`);
    for (const segment of o.segments) lines.push(`  ${formatSegmentChange(segment, 1)}`);
    const shown = o.changes.slice(0, MAX_TEXT_CHANGES);
    const width = shown.reduce((max, c) => Math.max(max, c.key.length), 0);
    for (const change of shown) {
      const [first = '', ...rest] = change.details;
      lines.push(`  ${mark[change.kind]} ${change.key.padEnd(width)}  ${first}`);
      for (const detail of rest) lines.push(`    ${' '.repeat(width)}  ${detail}`);
    }
    if (o.changes.length > shown.length) {
      lines.push(`  … and ${o.changes.length - shown.length} more (--format json lists every change)`);
    }
    if (o.simpleKeys) {
      const { set, removed, skipped } = o.simpleKeys;
      if (set + removed > 0) lines.push(`  simple keys: ${set} to write, ${removed} to delete`);
      for (const s of skipped) lines.push(`  warning: ${s.key} has no simple key: ${s.reason}`);
    }
    lines.push(`  ${headline(o)}`);
    if (o.hint) lines.push(`  hint: ${o.hint}`);
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

export function formatPlanMarkdown(command: string, outcomes: readonly EnvironmentOutcome[]): string {
  const out: string[] = [`### flagops ${command}`, ''];
  for (const o of outcomes) {
    out.push(`#### ${o.environment}`, '', headline(o), '');
    for (const lost of o.lostOverrides) out.push(`> [!WARNING]`, `> Override lost: ${describeLostOverride(lost, o.environment)}`, '');
    for (const segment of o.segments) out.push(`- ${formatSegmentChange(segment, 1).replace(/\|/g, '\\|')}`);
    if (o.segments.length > 0) out.push('');
    if (o.changes.length > 0) {
      out.push('| | Flag | What changes |', '|---|---|---|');
      for (const c of o.changes) {
        out.push(`| ${mark[c.kind]} | \`${c.key}\` | ${c.details.map((d) => d.replace(/\|/g, '\\|')).join('<br>')} |`);
      }
      out.push('');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

export function planJson(outcome: EnvironmentOutcome) {
  return { ...outcome, summary: { ...countChanges(outcome.changes), unchanged: outcome.unchanged } };
}
