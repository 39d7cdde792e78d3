import { type GuardWords, guardNames } from '../core/definition/guard-thresholds.js';
import type { CompiledStage } from '../core/serving/compiled.js';
import { compileFlag, compileRefs, compileSegment } from '../core/serving/compile.js';
import type { CompiledFlag } from '../core/serving/compiled.js';
import { daysBetween } from '../core/shared/dates.js';
import { describeEnvironment, type ServeState, stageNow } from '../core/change/describe.js';
import { stateLabel } from './words.js';
import type { Diagnostic, Severity } from '../core/shared/diagnostic.js';
import { flagDependents } from '../core/serving/graph/reverse-lookup.js';
import type { FlagStatus, FlagUsage } from '../core/lifecycle/scan/findings/lifecycle.js';
import type { Reference } from '../core/lifecycle/scan/resolve/resolve.js';
import { describeMatch, withoutSegmentBodies } from '../core/change/segment-changes.js';
import type { CaseResult } from '../core/serving/spec/run-specs.js';
import type { LoadedFlag } from '../core/definition/validate/validate-flags.js';
import type { LoadedSegment } from '../core/definition/validate/validate-segments.js';

/** The tags the overview filters on; a flag may carry several. */
export const HEALTH_TAGS = ['expired', 'expiring', 'stale', 'unused', 'orphaned', 'invalid'] as const;
export type HealthTag = (typeof HEALTH_TAGS)[number];

export interface SiteEnvironment {
  name: string;
  state: ServeState;
  /** The badge: the state in words, "on for everyone" only for a flag serving true to everyone. */
  label: string;
  words: string;
  rules: string[];
  /** A dated rollout of what everyone else gets, with the share served at `now`. */
  /** `gate`: the guards a stage must pass before it begins, in words. */
  rollout?: { variant: string; stages: Array<{ at: string; percentage: number; gate?: string }>; now: number };
}

export interface SiteLink {
  text: string;
  url?: string;
}

export interface SiteFlag {
  key: string;
  /** The folder below the flags folder ('' at its top): checkout, growth… */
  area: string;
  file: string;
  fileUrl?: string;
  /** Absent for an invalid flag file and for an orphaned key (read by code, defined nowhere). */
  type?: string;
  owner?: string;
  description?: string;
  created?: string;
  expires?: string;
  /** Days until expiry (negative: overdue), at `now`. */
  daysLeft?: number;
  ageDays?: number;
  tags: HealthTag[];
  status: FlagStatus | 'orphaned';
  findings: Array<{ severity: Severity; code: string; message: string; at: SiteLink }>;
  references: Array<SiteLink & { kind: string; via: string }>;
  environments: SiteEnvironment[];
  segments: Array<{ key: string; conditions: string; description: string }>;
  requires: string[];
  requiredBy: string[];
  tests: Array<{ name: string; env: string; passed: boolean; got: string; at: SiteLink }>;
  history: Array<{ date: string; author: string; subject: string; commit: string; url?: string }>;
  yaml?: string;
}

export interface SiteData {
  generatedAt: string;
  now: number;
  environments: string[];
  flags: SiteFlag[];
  expiringWithinDays: number;
  /** Where the checkout is on the web, when known ('' otherwise). */
  repository: string;
  commit?: string;
}

export interface SiteInput {
  now: number;
  environments: readonly string[];
  /** Valid flags. */
  flags: readonly LoadedFlag[];
  /** Every flag file (as shown), valid or not, with its key and area. */
  flagFiles: ReadonlyArray<{ key: string; file: string; area: string }>;
  segments: readonly LoadedSegment[];
  usage: readonly FlagUsage[];
  references: readonly Reference[];
  diagnostics: readonly Diagnostic[];
  tests: readonly CaseResult[];
  /** Flag file (as shown) → its last commits, newest first. */
  history: ReadonlyMap<string, ReadonlyArray<{ commit: string; date: string; author: string; subject: string }>>;
  sources: ReadonlyMap<string, string>;
  expiringWithinDays: number;
  /** A file's web address at a line, when the repository host is known. */
  link?: (file: string, line?: number) => string;
  commitLink?: (commit: string) => string;
  repository?: string;
  commit?: string;
  /** Guards in words, from the configuration's metrics. */
  guardWords?: GuardWords;
}

const DAY = 86_400_000;

/** A rollout's stages for the page: each later stage with guards says what it waits for. */
const stagesOf = (stages: readonly CompiledStage[], words: GuardWords = guardNames) =>
  stages.map((s, i) => ({ at: s.at, percentage: s.percentage, ...(i > 0 && s.guards?.length ? { gate: s.guards.map(words).join(' and ') } : {}) }));

/** Everything the pages show, from what validate, scan and test found. Pure. */
export function siteData(input: SiteInput): SiteData {
  const today = new Date(input.now).toISOString().slice(0, 10);
  const at = (file: string, line?: number): SiteLink => {
    const url = input.link?.(file, line);
    return { text: line ? `${file}:${line}` : file, ...(url ? { url } : {}) };
  };
  const valid = new Map(input.flags.map((f) => [f.key, f]));
  const usage = new Map(input.usage.map((u) => [u.key, u]));
  const refs = compileRefs(input.flags, input.segments);
  const segmentByKey = new Map(input.segments.map((s) => [s.key, s]));
  const requiredBy = new Map(flagDependents(input.flags).map((d) => [d.flag, d.requiredBy.map((r) => r.flag)]));
  const referencesOf = group(input.references.filter((r) => r.flag !== null) as Array<Reference & { flag: string }>, (r) => r.flag);
  const testsOf = group(input.tests.filter((t) => t.segment === undefined), (t) => t.flag);
  const keyOfFile = new Map(input.flagFiles.map((f) => [f.file, f.key]));
  const flagOf = (d: Diagnostic) => d.flag ?? keyOfFile.get(d.file);
  const findingsOf = group(input.diagnostics.filter((d) => flagOf(d) !== undefined), (d) => flagOf(d)!);
  const describe = (d: Diagnostic) => ({ severity: d.severity, code: d.code, message: d.message, at: at(d.file, d.line) });
  const referenceLinks = (list: ReadonlyArray<Reference>) =>
    list.map((r) => ({ ...at(r.file, r.line), text: `${r.file}:${r.line}:${r.column}`, kind: r.kind, via: r.via }));

  const flags: SiteFlag[] = [];
  for (const file of input.flagFiles) {
    const loaded = valid.get(file.key);
    const use = usage.get(file.key);
    const findings = (findingsOf.get(file.key) ?? []).map(describe);
    const tags = new Set<HealthTag>();
    const codes = new Set(findings.map((f) => f.code));
    const status: FlagStatus = loaded ? (use?.status ?? 'active') : 'invalid';
    if (!loaded) tags.add('invalid');
    if (status === 'stale' || codes.has('stale-flag')) tags.add('stale');
    if (status === 'unused' || codes.has('unused-flag') || codes.has('expired-flag-unreferenced')) tags.add('unused');
    const history = (input.history.get(file.file) ?? []).map((c) => {
      const url = input.commitLink?.(c.commit);
      return { ...c, ...(url ? { url } : {}) };
    });
    const fileUrl = input.link?.(file.file);
    const base = {
      key: file.key,
      area: file.area,
      file: file.file,
      ...(fileUrl ? { fileUrl } : {}),
      findings,
      references: referenceLinks(referencesOf.get(file.key) ?? []),
      tests: (testsOf.get(file.key) ?? []).map((t) => ({
        name: t.name ?? '',
        env: t.env,
        passed: t.passed,
        got: t.got ? `${t.got.variant ?? '(default)'} (${t.got.reason})` : 'not run',
        at: at(t.file, t.line),
      })),
      history,
      ...(input.sources.has(file.file) ? { yaml: input.sources.get(file.file)! } : {}),
    };
    if (!loaded) {
      flags.push({ ...base, tags: [...tags], status, environments: [], segments: [], requires: [], requiredBy: requiredBy.get(file.key) ?? [] });
      continue;
    }
    const doc = loaded.definition;
    if (doc.expires !== undefined) {
      if (doc.expires < today) tags.add('expired');
      else if (Date.parse(`${doc.expires}T00:00:00Z`) - input.now <= input.expiringWithinDays * DAY) tags.add('expiring');
    }
    const environments: SiteEnvironment[] = [];
    const segments = new Set<string>();
    const requires = new Set<string>();
    for (const name of input.environments) {
      if (!Object.hasOwn(doc.environments, name)) {
        environments.push({ name, state: 'off', label: stateLabel('off', false), words: 'not defined here (off)', rules: [] });
        continue;
      }
      let compiled: CompiledFlag;
      try {
        compiled = compileFlag(file.key, doc, name, refs);
      } catch {
        environments.push({ name, state: 'off', label: stateLabel('off', false), words: 'cannot be compiled (see findings)', rules: [] });
        continue;
      }
      for (const r of compiled.requires ?? []) requires.add(r.flag);
      const described = describeEnvironment(compiled, input.now);
      const serve = compiled.serve;
      const servesTrue = 'variant' in serve && compiled.variants[serve.variant] === true;
      environments.push({
        name,
        ...described,
        label: stateLabel(described.state, servesTrue),
        ...(compiled.enabled && 'stages' in serve ? { rollout: { variant: serve.variant, stages: stagesOf(serve.stages, input.guardWords), now: stageNow(serve.stages, input.now) } } : {}),
      });
    }
    for (const use of loaded.uses.segments) segments.add(use.key);
    flags.push({
      ...base,
      type: doc.type,
      owner: doc.owner,
      description: doc.description,
      created: doc.created,
      ...(doc.expires !== undefined ? { expires: doc.expires, daysLeft: daysBetween(today, doc.expires) } : {}),
      ageDays: daysBetween(doc.created, today),
      tags: HEALTH_TAGS.filter((t) => tags.has(t)),
      status,
      environments,
      segments: [...segments].sort().map((key) => {
        const segment = segmentByKey.get(key);
        let conditions = '';
        try {
          if (segment) conditions = describeMatch(withoutSegmentBodies(compileSegment(key, refs)));
        } catch {
          conditions = '';
        }
        return { key, conditions, description: segment?.definition.description ?? '' };
      }),
      requires: [...requires].sort(),
      requiredBy: requiredBy.get(file.key) ?? [],
    });
  }
  // Keys the code reads that no flag file defines: listed so the overview can show them as orphaned.
  const defined = new Set(input.flagFiles.map((f) => f.key));
  for (const [key, list] of referencesOf) {
    if (defined.has(key)) continue;
    const orphaned = list.filter((r) => r.undefinedKey || !defined.has(r.flag));
    if (orphaned.length === 0) continue;
    flags.push({
      key,
      area: '',
      file: '',
      tags: ['orphaned'],
      status: 'orphaned',
      findings: input.diagnostics.filter((d) => d.code === 'orphaned-reference' && orphaned.some((r) => r.file === d.file && r.line === d.line)).map(describe),
      references: referenceLinks(orphaned),
      environments: [],
      segments: [],
      requires: [],
      requiredBy: [],
      tests: [],
      history: [],
    });
  }
  flags.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    generatedAt: new Date(input.now).toISOString(),
    now: input.now,
    environments: [...input.environments],
    flags,
    expiringWithinDays: input.expiringWithinDays,
    repository: input.repository ?? '',
    ...(input.commit ? { commit: input.commit } : {}),
  };
}

/** Items by a key, each list in the items' order. */
export function group<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = out.get(key);
    if (list) list.push(item);
    else out.set(key, [item]);
  }
  return out;
}
