import { type BlastRadius, blastRadius, describeBlastRadius, generatedPopulation, type Population } from './blast-radius.js';
import { compileFlag, compileRefs } from '../serving/compile.js';
import type { CompiledFlag, CompiledServe } from '../serving/compiled.js';
import type { GuardWords } from '../definition/guard-thresholds.js';
import { describeFlagChange } from './describe.js';
import type { Diagnostic } from '../shared/diagnostic.js';
import type { Span } from '../definition/load/source-map.js';
import type { SegmentDocument } from '../definition/model.js';
import { requiredBy } from '../serving/graph/reverse-lookup.js';
import { type SegmentChange, segmentChanges } from './segment-changes.js';
import type { LoadedFlag } from '../definition/validate/validate-flags.js';

/** Where code reads a flag (from the scanner): enough to count files and point at a line. */
export interface ReferenceSite {
  file: string;
  line: number;
  column: number;
}

export interface EnvironmentDiff {
  environment: string;
  /** What the change does to users there, in plain words. */
  details: string[];
  /** How many users get another variant (a changed flag whose behaviour changes there). */
  blast?: BlastRadius;
}

/** How diff measures the blast radius of a change. */
export interface BlastOptions {
  /** The time rollout stages are read at. */
  now: number;
  /** Real contexts to count the blast radius on; without, exact where possible, else 100,000 generated ids. */
  population?: Population;
  /** A share of users (0–100) at or above which a change is a `risk-blast-radius` warning. */
  threshold: number;
}

export interface FlagDiff {
  key: string;
  kind: 'added' | 'changed' | 'removed';
  /** The flag file at head (at base for a removed flag). */
  file: string;
  environments: EnvironmentDiff[];
  /** Changes that are not about who gets what: owner, expiry, type, description, tags. */
  metadata: string[];
  /** Risk codes found for this flag (their diagnostics say more). */
  risks: string[];
  /** Code references at head: how many, in how many files (undefined when the code was not scanned). */
  references?: { count: number; files: number };
}

export interface DiffResult {
  changes: FlagDiff[];
  /** Segments whose conditions change, with every flag and environment they change. */
  segments: SegmentChange[];
  /** One warning per risk, on the line of the flag file (or the code) it concerns. */
  diagnostics: Diagnostic[];
}

type Segment = { key: string; definition: SegmentDocument };

/** What decides who gets which variant: a change elsewhere (metadata, expiry) moves nobody. */
const served = ({ enabled, rules, serve, salt, requires, offVariant }: CompiledFlag) => ({ enabled, rules, serve, salt, requires, offVariant });

/** The share of users the fallthrough serves something other than the offVariant, at most. */
function shareOn(flag: CompiledFlag): number {
  if (!flag.enabled) return 0;
  const serve: CompiledServe = flag.serve;
  if ('split' in serve) return serve.split.reduce((sum, [variant, weight]) => (variant === flag.offVariant ? sum : sum + weight), 0);
  if ('stages' in serve) return serve.variant === flag.offVariant ? 0 : Math.max(0, ...serve.stages.map((s) => s.percentage));
  if ('percentage' in serve) return serve.variant === flag.offVariant ? 0 : serve.percentage;
  return serve.variant === flag.offVariant ? 0 : 100;
}

const daysBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);

/**
 * Behaviour changes between two versions of the flags, per flag and environment, with the risks a
 * reviewer should not miss: a jump to 100 %, a kill switch turned off, a removal code still reads,
 * an owner change, an expiry pushed out, a new salt. Pure: references come from the scanner.
 */
export function diffFlags(
  base: readonly LoadedFlag[],
  head: readonly LoadedFlag[],
  environments: readonly string[],
  references?: ReadonlyMap<string, readonly ReferenceSite[]>,
  /** Keys whose file exists at each side but has errors: not compared, and never a removal or an addition. */
  broken: { base: ReadonlySet<string>; head: ReadonlySet<string> } = { base: new Set(), head: new Set() },
  segments: { base: readonly Segment[]; head: readonly Segment[] } = { base: [], head: [] },
  blastOptions?: BlastOptions,
  /** Guards in words (their metrics' thresholds from the configuration). */
  words?: GuardWords,
): DiffResult {
  // Generated once per diff, for every flag and environment that needs an estimate.
  let generated: Population | undefined;
  const radiusOf = (a: CompiledFlag, b: CompiledFlag, o: BlastOptions) =>
    blastRadius(a, b, o.now, o.population, () => (generated ??= generatedPopulation(100_000)));
  const compileWith = { base: compileRefs(base, segments.base), head: compileRefs(head, segments.head) };
  const compiled = new Map<string, { environment: string; before: Map<string, CompiledFlag>; after: Map<string, CompiledFlag> }>();
  for (const environment of environments) compiled.set(environment, { environment, before: new Map(), after: new Map() });
  const before = new Map(base.map((f) => [f.key, f]));
  const dependents = requiredBy(head);
  const after = new Map(head.map((f) => [f.key, f]));
  const changes: FlagDiff[] = [];
  const diagnostics: Diagnostic[] = [];
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();

  for (const key of keys) {
    const old = before.get(key);
    const now = after.get(key);
    const sites = references?.get(key) ?? [];
    const refs = references ? { count: sites.length, files: new Set(sites.map((s) => s.file)).size } : undefined;
    const risk = (code: string, span: Span, message: string, hint: string, file = now?.file ?? old!.file) => {
      diagnostics.push({ severity: 'warning', code, file, ...span, flag: key, message, hint });
      return code;
    };
    if (!now && broken.head.has(key)) {
      const metadata = ['its flag file has errors at head: fix them to see the change'];
      changes.push({ key, kind: 'changed', file: old!.file, environments: [], metadata, risks: [], ...(refs ? { references: refs } : {}) });
      continue;
    }
    if (!now) {
      const risks: string[] = [];
      if (refs && refs.count > 0) {
        for (const site of sites) {
          risk(
            'risk-removed-but-referenced',
            { line: site.line, column: site.column, endLine: site.line, endColumn: site.column + key.length + 2 },
            `Flag "${key}" is removed in this change, but this code still reads it.`,
            'Remove the code path first (or in the same change); otherwise this read serves its default forever.',
            site.file,
          );
        }
        risks.push('risk-removed-but-referenced');
      }
      changes.push({ key, kind: 'removed', file: old!.file, environments: [], metadata: ['removed'], risks, ...(refs ? { references: refs } : {}) });
      continue;
    }

    const envs: EnvironmentDiff[] = [];
    const risks = new Set<string>();
    const repaired = !old && broken.base.has(key);
    for (const environment of environments) {
      const a = old ? compileFlag(key, old.definition, environment, compileWith.base) : undefined;
      const b = compileFlag(key, now.definition, environment, compileWith.head);
      if (a) compiled.get(environment)!.before.set(key, a);
      compiled.get(environment)!.after.set(key, b);
      // Expiry, type and metadata are flag-wide: said once below, not per environment. Where the flag is off
      // before and after, its salt decides nothing.
      const salt = a && !a.enabled && !b.enabled ? b.salt : a?.salt;
      const details = describeFlagChange(a ? { ...a, expires: b.expires, type: b.type, salt: salt!, metadata: b.metadata } : undefined, b, words);
      const span = now.anchors.environment[environment] ?? now.anchors.environments;
      // Who gets another variant: only where the flag existed before and what it serves changed.
      const blast = a && blastOptions && JSON.stringify(served(a)) !== JSON.stringify(served(b)) ? radiusOf(a, b, blastOptions) : undefined;
      if (blast) details.push(describeBlastRadius(blast), ...blast.allowlists);
      if (details.length > 0) envs.push({ environment, details, ...(blast ? { blast } : {}) });
      if (!a) continue;
      const [was, is] = [shareOn(a), shareOn(b)];
      const fullRollout = is === 100 && was < 100;
      const killSwitchOff = now.definition.type === 'kill-switch' && was > 0 && is === 0;
      // A full rollout or a kill switch turned off says it already: one warning per line is enough.
      if (blast && blastOptions && blast.share > 0 && blast.share >= blastOptions.threshold && !fullRollout && !killSwitchOff) {
        risks.add(
          risk(
            'risk-blast-radius',
            span,
            `${environment}: ${blast.share.toFixed(1)}% of ${blast.of} get another variant${blast.exact ? '' : ' (estimated)'}, at or over the ${blastOptions.threshold}% the configuration allows without a warning.`,
            'Roll out in smaller steps (percentages or rollout stages), or raise diff.blastRadiusThreshold if such changes are routine.',
          ),
        );
      }
      if (fullRollout) {
        risks.add(
          risk(
            'risk-full-rollout',
            span,
            `${environment}: everyone gets it now (${was}% → 100%), in one step.`,
            'If that is not meant, roll out in stages (serve: { rollout: { stages: [...] } }).',
          ),
        );
      }
      if (killSwitchOff) {
        risks.add(
          risk(
            'risk-kill-switch-off',
            span,
            `${environment}: this kill switch is turned off: everyone gets ${b.offVariant}.`,
            'For an emergency, flagops kill acts in seconds without a merge; make sure this is meant to ship.',
          ),
        );
      }
      if (a.salt !== b.salt && a.enabled && b.enabled) {
        risks.add(risk('risk-rebucketed', span, `${environment}: the salt changed, so every user is bucketed anew.`, 'Users may switch variants: keep the salt unless that is the point.'));
      }
    }

    const metadata: string[] = [];
    if (old) {
      const [o, n] = [old.definition, now.definition];
      if (o.owner !== n.owner) {
        metadata.push(`owner: ${o.owner} → ${n.owner}`);
        risks.add(risk('risk-owner-changed', now.anchors.owner, `The owner changes from ${o.owner} to ${n.owner}.`, 'Make sure the new owner agrees (CODEOWNERS can require their review).'));
      }
      if (o.expires !== n.expires) {
        metadata.push(`expires: ${o.expires ?? 'never'} → ${n.expires ?? 'never'}`);
        if (o.expires && (!n.expires || n.expires > o.expires)) {
          const later = n.expires ? `by ${daysBetween(o.expires, n.expires)} days, to ${n.expires}` : 'to never';
          risks.add(
            risk(
              'risk-expiry-extended',
              now.anchors.expires ?? now.anchors.created,
              `The expiry is pushed out ${later} (was ${o.expires}).`,
              'A flag that keeps living is debt: say in the pull request why it needs longer.',
            ),
          );
        }
      }
      if (o.type !== n.type) metadata.push(`type: ${o.type} → ${n.type}`);
      if (o.description !== n.description) metadata.push('description changed');
      if (JSON.stringify(o.metadata ?? {}) !== JSON.stringify(n.metadata ?? {})) metadata.push('metadata changed');
      if (JSON.stringify(o.tags ?? []) !== JSON.stringify(n.tags ?? [])) metadata.push(`tags: ${(o.tags ?? []).join(', ') || 'none'} → ${(n.tags ?? []).join(', ') || 'none'}`);
    }
    if (repaired) metadata.unshift('its flag file had errors at base: compared with nothing');
    // Flags that require this one change with it wherever it stops (or starts) serving what they need.
    const needing = dependents.get(key) ?? [];
    if (envs.length > 0 && needing.length > 0) metadata.push(`required by ${needing.join(', ')}: they change with it (prerequisites)`);
    if (envs.length === 0 && metadata.length === 0 && old) continue;
    changes.push({
      key,
      kind: old || repaired ? 'changed' : 'added',
      file: now.file,
      environments: envs,
      metadata,
      risks: [...risks],
      ...(refs ? { references: refs } : {}),
    });
  }
  return { changes, segments: segmentChanges([...compiled.values()]), diagnostics };
}
