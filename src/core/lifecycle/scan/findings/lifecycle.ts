import { compileFlag } from '../../../serving/compile.js';
import type { TypePolicy } from '../../../definition/config.js';
import { daysBetween } from '../../../shared/dates.js';
import { type Diagnostic, plural, type Severity } from '../../../shared/diagnostic.js';
import type { FlagType } from '../../../definition/model.js';
import { didYouMean } from '../../../shared/suggest.js';
import type { LoadedFlag } from '../../../definition/validate/validate-flags.js';
import { requiredBy } from '../../../serving/graph/reverse-lookup.js';
import { type ConstantServe, constantServe, constantsIn } from './constant-serve.js';
import { kebabCase } from '../../../definition/key-aliases.js';
import type { Reference } from '../resolve/resolve.js';

export interface LifecycleSettings {
  /** The moment findings are computed for (`--now`). */
  now: number;
  types: Record<FlagType, TypePolicy>;
  unusedAfterDays: number;
  expiringWithinDays: number;
  dynamicSeverity: Severity;
  /**
   * The whole configured code base was scanned. Only then does "no reference" mean something:
   * a scan of one folder says nothing about the others.
   */
  complete: boolean;
}

export interface LifecycleInput {
  /** Flags that passed validation. */
  flags: readonly LoadedFlag[];
  /** Every key a flag file defines, valid or not: a reference to a broken file is not orphaned. */
  definedKeys: ReadonlySet<string>;
  /** Every flag file (key and file as shown), valid or not: each gets a usage entry. */
  flagFiles?: readonly { key: string; file: string }[];
  references: readonly Reference[];
  /** Flag file → the days it changed (from git), newest first, when known. */
  changedAt: ReadonlyMap<string, readonly string[]>;
}

/** `invalid`: the flag file has errors, so only its references are known. */
export type FlagStatus = 'active' | 'expiring' | 'expired' | 'stale' | 'unused' | 'invalid';

export interface FlagUsage {
  key: string;
  file: string;
  /** Absent for an invalid flag file. */
  type?: FlagType;
  owner?: string;
  expires?: string;
  references: number;
  files: number;
  status: FlagStatus;
}

export const LIFECYCLE_CODES = {
  orphaned: 'orphaned-reference',
  expiredReferenced: 'expired-flag-referenced',
  expiredUnreferenced: 'expired-flag-unreferenced',
  unused: 'unused-flag',
  stale: 'stale-flag',
  expiring: 'expiring-soon',
  dynamic: 'dynamic-reference',
} as const;

const C = LIFECYCLE_CODES;

/** Definitions × references × now → the findings that keep flag debt visible. Pure. */
export function lifecycleFindings(
  input: LifecycleInput,
  settings: LifecycleSettings,
): { diagnostics: Diagnostic[]; usage: FlagUsage[] } {
  const today = new Date(settings.now).toISOString().slice(0, 10);
  const diagnostics: Diagnostic[] = [];
  const byFlag = new Map<string, Reference[]>();
  for (const ref of input.references) {
    if (ref.flag === null) {
      diagnostics.push(dynamicFinding(ref, settings.dynamicSeverity));
    } else if (ref.undefinedKey || !input.definedKeys.has(ref.flag)) {
      diagnostics.push(orphanFinding(ref, input.definedKeys));
    } else {
      const list = byFlag.get(ref.flag);
      if (list) list.push(ref);
      else byFlag.set(ref.flag, [ref]);
    }
  }
  const usage: FlagUsage[] = [];
  const dependents = requiredBy(input.flags);
  for (const flag of input.flags) {
    // A flag other flags require is in use even when no code reads it; deleting it breaks them.
    const neededBy = dependents.get(flag.key) ?? [];
    const first = neededBy.length > 0 ? ` First remove it from the requires of ${neededBy.join(', ')}.` : '';
    const refs = byFlag.get(flag.key) ?? [];
    const { definition: d } = flag;
    // `expires` is the last day code may use the flag (a UTC day, so every machine agrees): it is
    // expired from the next day on.
    const expired = d.expires !== undefined && today > d.expires;
    const daysLeft = d.expires === undefined ? undefined : daysBetween(today, d.expires);
    const serving = servingEverywhere(flag, settings.now, input.flags);
    let status: FlagStatus = 'active';
    const at = (span: { line: number; column: number; endLine: number; endColumn: number }) => ({
      file: flag.file,
      line: span.line,
      column: span.column,
      endLine: span.endLine,
      endColumn: span.endColumn,
      flag: flag.key,
    });
    if (expired) {
      status = 'expired';
      const keep = serving?.same ? ` Every environment serves "${serving.variant}" to everyone: keep that path.` : '';
      for (const ref of refs) {
        diagnostics.push({
          severity: 'error',
          code: C.expiredReferenced,
          ...refLocation(ref),
          message: `Flag "${flag.key}" expired after ${d.expires}, its last day (owner ${d.owner}), and this code still reads it.`,
          hint: `Remove the flag from this code, then delete ${flag.file}; or move expires later in that file if it must stay.${keep}`,
        });
      }
      if (refs.length === 0 && settings.complete) {
        diagnostics.push({
          severity: 'warning',
          code: C.expiredUnreferenced,
          ...at(flag.anchors.expires ?? flag.anchors.created),
          message: `Flag "${flag.key}" expired after ${d.expires}, its last day, and no scanned code reads it: delete ${flag.file}.${first}`,
          hint: `If code flagops does not scan still reads it, add { code: ${C.expiredUnreferenced}, flag: ${flag.key} } to scan.ignore.`,
        });
      }
    } else if (daysLeft !== undefined && daysLeft <= settings.expiringWithinDays) {
      status = 'expiring';
      diagnostics.push({
        severity: 'warning',
        code: C.expiring,
        ...at(flag.anchors.expires ?? flag.anchors.created),
        message: `Flag "${flag.key}" has its last day on ${d.expires} (${daysLeft === 0 ? 'today' : daysLeft === 1 ? 'tomorrow' : `in ${daysLeft} days`}); ${plural(refs.length, 'reference')} in code, owner ${d.owner}.`,
        hint: `Remove it from the code before then, or move expires later if it needs more time.`,
      });
    }
    const policy = settings.types[d.type];
    if (!expired && serving && policy.staleAfterDays !== null) {
      // The last change up to `now`: a preview of an earlier day ignores later commits.
      const changed = input.changedAt.get(flag.file)?.find((day) => day <= today);
      let since = changed && changed > d.created ? changed : d.created;
      if (serving.since && serving.since.slice(0, 10) > since) since = serving.since.slice(0, 10);
      const days = daysBetween(since, today);
      if (days > policy.staleAfterDays) {
        status = 'stale';
        diagnostics.push({
          severity: 'warning',
          code: C.stale,
          ...at(flag.anchors.environments),
          message: `Flag "${flag.key}" has served one variant to everyone for ${days} days (since ${since}): ${serving.summary}.`,
          hint: `${d.type} flags count as stale after ${policy.staleAfterDays} days. ${serving.same ? `Remove it from the code keeping the "${serving.variant}" path` : 'Decide which path stays, remove the flag from the code'}, then delete ${flag.file}; or give it a permanent type (permission, kill-switch) if it is meant to stay.`,
        });
      }
    }
    const age = daysBetween(d.created, today);
    if (!expired && refs.length === 0 && neededBy.length === 0 && settings.complete && age >= settings.unusedAfterDays) {
      if (status === 'active') status = 'unused';
      diagnostics.push({
        severity: 'warning',
        code: C.unused,
        ...at(flag.anchors.created),
        message: `Flag "${flag.key}" was created ${age} days ago (${d.created}) and no scanned code reads it.`,
        hint: `Delete ${flag.file} if nothing needs it. If code flagops does not scan reads it (another service or language), add { code: ${C.unused}, flag: ${flag.key} } to scan.ignore.`,
      });
    }
    usage.push({
      key: flag.key,
      file: flag.file,
      type: d.type,
      owner: d.owner,
      ...(d.expires !== undefined ? { expires: d.expires } : {}),
      references: refs.length,
      files: new Set(refs.map((r) => r.file)).size,
      status,
    });
  }
  const valid = new Set(input.flags.map((f) => f.key));
  for (const { key, file } of input.flagFiles ?? []) {
    if (valid.has(key)) continue;
    const refs = byFlag.get(key) ?? [];
    usage.push({ key, file, references: refs.length, files: new Set(refs.map((r) => r.file)).size, status: 'invalid' });
  }
  return { diagnostics, usage };
}

/** One variant to everyone in every environment the flag names, or undefined. */
export function servingEverywhere(
  flag: LoadedFlag,
  now: number,
  /** All flags, for prerequisites: a flag whose prerequisite is off for everyone is off for everyone. */
  flags: readonly LoadedFlag[] = [],
): (ConstantServe & { summary: string; same: boolean }) | undefined {
  const environments = Object.keys(flag.definition.environments);
  const served: Array<[string, ConstantServe]> = [];
  for (const env of environments) {
    const constant = constantServe(compileFlag(flag.key, flag.definition, env), now, constantsIn(flags, env, now));
    if (!constant) return undefined;
    served.push([env, constant]);
  }
  if (served.length === 0) return undefined;
  const variants = new Set(served.map(([, c]) => c.variant));
  const since = served.map(([, c]) => c.since).filter((s): s is string => s !== undefined).sort().at(-1);
  const summary = served.map(([env, c]) => `${env} "${c.variant}"`).join(', ');
  return { variant: served[0]![1].variant, same: variants.size === 1, summary, ...(since ? { since } : {}) };
}

function refLocation(ref: Reference) {
  return {
    file: ref.file,
    line: ref.line,
    column: ref.column,
    endLine: ref.endLine,
    endColumn: ref.endColumn,
    ...(ref.flag !== null ? { flag: ref.flag } : {}),
  };
}

function describeRead(ref: Reference): string {
  if (ref.kind === 'property' || ref.kind === 'destructure') return `${ref.via}.${ref.expression ?? ref.flag}`;
  if (ref.kind === 'element') return `${ref.via}[${ref.expression ?? JSON.stringify(ref.flag)}]`;
  if (ref.kind === 'jsx') return `<${ref.via}> with ${ref.expression ?? JSON.stringify(ref.flag)}`;
  return `${ref.via}(${ref.expression ?? JSON.stringify(ref.flag)})`;
}

function orphanFinding(ref: Reference, defined: ReadonlySet<string>): Diagnostic {
  const alias = ref.kind === 'property' || (ref.kind === 'destructure' && ref.expression === undefined);
  // A property name (newChekout) stands for a kebab-case key (new-chekout).
  const key = alias ? kebabCase(ref.flag!) : ref.flag!;
  const suggestion = didYouMean(key, defined);
  const message = alias
    ? `${describeRead(ref)} matches no flag (names are matched as written and as camelCase, snake_case and CONSTANT_CASE of each key).`
    : `${describeRead(ref)} reads flag "${ref.flag}", but no flag file defines it.`;
  return {
    severity: 'error',
    code: C.orphaned,
    ...refLocation(ref),
    message,
    hint: suggestion
      ? `Did you mean "${suggestion}"? Otherwise add a flag file for "${key}" or remove this reference.`
      : `Add a flag file for "${key}" (e.g. flags/${key}.yaml), or remove this reference.`,
  };
}

function dynamicFinding(ref: Reference, severity: Severity): Diagnostic {
  return {
    severity,
    code: C.dynamic,
    ...refLocation(ref),
    message: `${describeRead(ref)} uses a flag key flagops cannot resolve: ${ref.reason ?? 'it is computed'}.`,
    hint: `Use a string literal, a const or an enum member as the key; or silence it with a comment on the line above: flagops-ignore-next-line ${C.dynamic} (after // or #).`,
  };
}
