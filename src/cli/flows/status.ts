import { guardWords } from '../../core/definition/guard-thresholds.js';
import { describeLostOverride, type LostOverride, lostOverrides } from '../../core/change/overrides.js';
import { planSync } from '../../core/change/plan.js';
import { checksumOf, compileEnvironment } from '../../core/serving/compile.js';
import { describeHold } from '../../core/guard/describe-hold.js';
import { isHold, isKill } from '../../store/store.js';
import { COMPILED_FORMAT } from '../../core/serving/compiled.js';
import { isBroken, parseStoredFlag } from '../../core/serving/evaluate/prepare.js';
import { storedDependables, turnedOffBy } from '../../core/serving/graph/dependents.js';
import { plural } from '../../core/shared/diagnostic.js';
import { headCommit } from '../../files/git.js';
import { AUDIT_SCAN, type AuditEntry, type FlagUsage } from '../../store/store.js';
import type { ParsedArgs } from '../command.js';
import { EXIT, type Io, UsageError } from '../io.js';
import { nowOf } from '../now.js';
import { toolInfo } from '../output.js';
import { brokenConfig } from './project.js';
import { chosenEnvironments, openEnvironmentStore } from './sync-session.js';
import { runValidation } from './validation.js';

interface EnvironmentStatus {
  environment: string;
  store: string;
  live: { revision: number; commit: string; syncedAt: string; flags: number } | null;
  /** What is wrong with `_meta` (a revision that is not a whole number), or null. */
  corrupt: string | null;
  /** The store's compiled format (`_meta.format`; 0 when empty). */
  format: number;
  /** Stored flags no SDK can read (written outside flagops), and why: they serve callers' defaults. */
  malformed: Array<{ flag: string; error: string }>;
  /** Live flags differ from the checksum the last sync wrote. */
  drift: boolean;
  /** Flags this checkout would change; null when the checkout's flags are invalid. */
  pending: number | null;
  head?: string;
  /** `turnsOff`: the flags the override turns off through their prerequisites. */
  overrides: Array<{ flag: string; variant: string; reason: string; actor: string; at: string; turnsOff: string[] }>;
  /** Guarded rollouts held by flagops guard: stages from `hold` on wait for `guard` to pass. */
  holds: Array<{ flag: string; hold: string; guard: string; reason: string; actor: string; at: string }>;
  /** Kill switches the audit records that the store no longer holds. */
  lostOverrides: LostOverride[];
  recent: AuditEntry[];
  /** From SDK usage counts (opt-in): live flags no SDK evaluated for --idle-days; null without usage data. */
  notEvaluated: Array<{ flag: string; lastEvaluated: string | null }> | null;
  idleDays: number;
}

const describeAudit = (e: AuditEntry) => {
  if (e.kind !== 'sync') return `${e.kind} ${e.flag} by ${e.actor}${e.reason ? `: ${e.reason}` : ''}`;
  const counts = [`${e.added?.length ?? 0} added`, `${e.changed?.length ?? 0} changed`, `${e.removed?.length ?? 0} removed`];
  return `sync of ${e.commit?.slice(0, 12) || 'no commit'} by ${e.actor}: ${counts.join(', ')}`;
};

function formatStatus(s: EnvironmentStatus): string {
  const lines = [`${s.environment} (${s.store})`];
  if (!s.live) {
    lines.push('  empty (never synced, or the store lost its data; a sync restores flags, not kill switches)');
  } else {
    lines.push(`  revision ${s.corrupt ? 'unknown' : s.live.revision}, commit ${s.live.commit.slice(0, 12) || 'none'}, synced ${s.live.syncedAt || 'unknown'}`);
    if (s.format > COMPILED_FORMAT) lines.push(`  FORMAT ${s.format}: written by a newer flagops (this one knows ${COMPILED_FORMAT}); sync and kill with the newer one`);
    if (s.corrupt) lines.push(`  CORRUPT: ${s.corrupt}. flagops sync --env ${s.environment} --force rewrites _meta (and kill still works).`);
    lines.push(
      s.drift
        ? `  DRIFT: the ${plural(s.live.flags, 'live flag')} ${s.live.flags === 1 ? 'differs' : 'differ'} from what the last sync wrote; a sync restores them`
        : `  ${plural(s.live.flags, 'flag')}, as the last sync wrote them`,
    );
  }
  if (s.pending === null) lines.push('  this checkout: its flags have errors (flagops validate)');
  else if (s.pending === 0) lines.push(`  this checkout (${s.head?.slice(0, 12) ?? 'no commit'}): up to date`);
  else lines.push(`  this checkout (${s.head?.slice(0, 12) ?? 'no commit'}): ${plural(s.pending, 'flag')} ${s.pending === 1 ? 'differs' : 'differ'}; flagops plan --env ${s.environment} shows how`);
  for (const m of s.malformed) lines.push(`  MALFORMED: ${m.flag}: ${m.error}; SDKs serve callers' defaults for it until a sync rewrites it`);
  for (const o of s.overrides) {
    lines.push(`  OVERRIDE: ${o.flag} serves ${o.variant} since ${o.at}, by ${o.actor}: ${o.reason}`);
    if (o.turnsOff.length > 0) lines.push(`    and turns off through prerequisites: ${o.turnsOff.join(', ')}`);
  }
  for (const h of s.holds) lines.push(`  ${describeHold(h)}`);
  for (const o of s.lostOverrides) lines.push(`  OVERRIDE LOST: ${describeLostOverride(o, s.environment)}`);
  if (s.notEvaluated === null) {
    if (s.live) lines.push('  usage: no SDK has reported any (createFlagClient({ usage: true }) turns it on)');
  } else if (s.notEvaluated.length === 0) {
    lines.push(`  usage: every live flag was evaluated in the last ${s.idleDays} days`);
  } else {
    lines.push(`  NOT EVALUATED for ${s.idleDays} days (from SDK usage counts):`);
    for (const n of s.notEvaluated) lines.push(`    ${n.flag}  ${n.lastEvaluated ? `last ${n.lastEvaluated}` : 'never'}`);
  }
  for (const e of s.recent) lines.push(`  ${e.at}  ${describeAudit(e)}`);
  return lines.join('\n');
}

/** Live flags whose last evaluation is older than `since` (or missing); null when no SDK reported usage. */
function idleFlags(keys: string[], usage: Map<string, FlagUsage>, since: number): EnvironmentStatus['notEvaluated'] {
  if (usage.size === 0) return null;
  return keys
    .sort()
    .filter((key) => (usage.get(key)?.last ?? 0) < since)
    .map((flag) => {
      const last = usage.get(flag)?.last;
      return { flag, lastEvaluated: last ? new Date(last).toISOString() : null };
    });
}

/** What `flagops status` does with its arguments. */
export async function runStatus(args: ParsedArgs, io: Io): Promise<number> {
  const format = String(args.values.format);
  if (format !== 'text' && format !== 'json') throw new UsageError(`Unknown format "${format}".`, 'Use text or json.');
  const history = Number(args.values.history);
  if (!Number.isInteger(history) || history < 0) throw new UsageError('--history takes a whole number.');
  const idleDays = Number(args.values['idle-days']);
  if (!Number.isInteger(idleDays) || idleDays < 0) throw new UsageError('--idle-days takes a whole number of days.');
  const now = nowOf(args, io);
  const run = runValidation(io.cwd, { config: args.values.config as string | undefined });
  if (run.configBroken) throw brokenConfig(run.diagnostics);
  const valid = !run.diagnostics.some((d) => d.severity === 'error');
  const statuses: EnvironmentStatus[] = [];
  for (const environment of chosenEnvironments(args, run.project)) {
    const store = await openEnvironmentStore(run.project, environment, args, io);
    try {
      const live = await store.read();
      const audit = await store.readAudit(AUDIT_SCAN);
      const words = guardWords(run.project.config.metrics);
      const plan = valid ? planSync(compileEnvironment(run.flags, environment, run.segments), { flags: live.flags }, words) : undefined;
      const head = headCommit(run.project.root);
      const dependables = storedDependables(live.flags);
      statuses.push({
        environment,
        store: store.label,
        live: live.meta ? { revision: live.meta.revision, commit: live.meta.commit, syncedAt: live.meta.syncedAt, flags: live.flags.size } : null,
        corrupt: live.meta?.problem ?? null,
        format: live.meta?.format ?? 0,
        malformed: [...live.flags]
          .map(([flag, json]) => ({ flag, read: parseStoredFlag(flag, json) }))
          .flatMap(({ flag, read }) => (isBroken(read) ? [{ flag, error: read.error }] : []))
          .sort((a, b) => (a.flag < b.flag ? -1 : 1)),
        drift: live.meta !== null && live.flags.size > 0 && checksumOf(live.flags) !== live.meta.checksum,
        pending: plan ? plan.changes.length : null,
        ...(head ? { head } : {}),
        overrides: [...live.overrides].flatMap(([flag, o]) =>
          isKill(o) ? [{ flag, ...o, turnsOff: turnedOffBy(dependables, flag, o.variant).map((d) => d.key) }] : [],
        ),
        holds: [...live.overrides].flatMap(([flag, o]) => (isHold(o) ? [{ flag, ...o }] : [])),
        lostOverrides: lostOverrides(audit, live.overrides),
        recent: audit.slice(0, history),
        notEvaluated: idleFlags([...live.flags.keys()], await store.readUsage(), now - idleDays * 86_400_000),
        idleDays,
      });
    } finally {
      await store.close();
    }
  }
  io.stdout(
    format === 'json'
      ? `${JSON.stringify({ tool: toolInfo(), command: 'status', environments: statuses }, null, 2)}\n`
      : `${statuses.map(formatStatus).join('\n\n')}\n`,
  );
  return EXIT.ok;
}
