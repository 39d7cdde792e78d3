import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CompiledFlag, CompiledServe } from '../../core/serving/compiled.js';
import { bucketPosition } from '../../core/serving/evaluate/bucketing.js';
import { snapshotOfDefinitions } from '../../core/serving/evaluate/checkout.js';
import { evaluateFlag } from '../../core/serving/evaluate/evaluate.js';
import { matchedSegments } from '../../core/serving/evaluate/match.js';
import { buildSnapshot, type Snapshot } from '../../core/serving/evaluate/snapshot.js';
import { didYouMean } from '../../core/shared/suggest.js';
import { openStore } from '../../store/open-store.js';
import { maskRedisPasswords } from '../../store/redis-url.js';
import { isHold, isKill, type StoredOverride } from '../../store/store.js';
import { resolveStoreTarget } from '../../store/target.js';
import type { ParsedArgs } from '../command.js';
import { EXIT, type Io, UsageError } from '../io.js';
import { nowOf } from '../now.js';
import { toolInfo } from '../output.js';
import { brokenConfig, type Project } from './project.js';
import { oneEnvironment, openEnvironmentStore } from './sync-session.js';
import { runValidation } from './validation.js';

type LiveOverride = { store: string; override: StoredOverride } | { store: string; none: true } | { unchecked: string };

/** How long eval waits for a store when it only looks for a kill switch (not asked for with --live). */
const PEEK_MS = 1500;

/**
 * Whether the environment's store holds a kill switch for this flag now, which would change what
 * the flag files answer. A file store that was never written holds none; a store that cannot be
 * read is said so, and never stops the evaluation.
 */
async function liveOverride(project: Project, environment: string, key: string, args: ParsedArgs, io: Io): Promise<LiveOverride | undefined> {
  let target;
  try {
    target = resolveStoreTarget(environment, project.config, project.root, {
      redis: args.values.redis as string | undefined,
      env: io.env,
      cwd: io.cwd,
      timeoutMs: args.values['redis-timeout'] !== undefined ? Number(args.values['redis-timeout']) : PEEK_MS,
    });
  } catch (error) {
    return { unchecked: (error as Error).message };
  }
  if (target.kind === 'file' && !existsSync(target.path)) return undefined;
  try {
    const store = await openStore(target);
    try {
      const override = (await store.read()).overrides.get(key);
      return override ? { store: store.label, override } : { store: store.label, none: true };
    } finally {
      await store.close();
    }
  } catch (error) {
    return { unchecked: maskRedisPasswords((error as Error).message) };
  }
}

/** --context: JSON text, or @file with JSON in it. */
function parseContext(text: string | undefined, cwd: string): Record<string, unknown> {
  if (text === undefined) return {};
  let json = text;
  if (text.startsWith('@')) {
    try {
      json = readFileSync(resolve(cwd, text.slice(1)), 'utf8');
    } catch (error) {
      throw new UsageError(`The context file ${text.slice(1)} could not be read (${(error as NodeJS.ErrnoException).code}).`);
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new UsageError(`--context is not valid JSON: ${(error as Error).message}.`, `Quote it for the shell: --context '{"userId":"u-1","plan":"pro"}'.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError('--context must be a JSON object.', `For example --context '{"userId":"u-1","groups":["beta"]}'.`);
  }
  return value as Record<string, unknown>;
}

/** The stored value as a compiled flag, read once for the explanations; undefined when it is not an object. */
function storedFlag(json: string | undefined): Partial<CompiledFlag> | undefined {
  if (!json) return undefined;
  try {
    const flag = JSON.parse(json) as Partial<CompiledFlag>;
    return typeof flag === 'object' && flag !== null && !Array.isArray(flag) ? flag : undefined;
  } catch {
    return undefined;
  }
}

/** Which segments decided, on the rule that matched (by name, or "#n"). */
function segmentsOf(flag: Partial<CompiledFlag> | undefined, rule: string | undefined, context: Record<string, unknown>): string[] {
  if (!Array.isArray(flag?.rules) || rule === undefined) return [];
  const index = flag.rules.findIndex((r, i) => (r.name ?? `#${i + 1}`) === rule);
  return index < 0 ? [] : matchedSegments(flag.rules[index]!, context);
}

/** The positions this context has in the flag's percentages and splits, by stickiness attribute. */
function positions(key: string, flag: Partial<CompiledFlag> | undefined, context: Record<string, unknown>): Record<string, number> {
  // Any stored value: only a compiled flag has positions to show.
  if (!flag) return {};
  const serves: Array<CompiledServe | undefined> = [flag.serve, ...(Array.isArray(flag.rules) ? flag.rules : []).map((r) => r.serve)];
  const out: Record<string, number> = {};
  for (const serve of serves) {
    if (!serve || !('stickiness' in serve)) continue;
    const value = context[serve.stickiness];
    if ((typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value))) {
      out[serve.stickiness] = bucketPosition(flag.salt ?? flag.key ?? key, String(value));
    }
  }
  return out;
}

/** What `flagops eval` does with its arguments. */
export async function runEval(args: ParsedArgs, io: Io): Promise<number> {
  const format = String(args.values.format);
  if (format !== 'text' && format !== 'json') throw new UsageError(`Unknown format "${format}".`, 'Use text or json.');
  const key = args.positionals[0];
  if (!key || args.positionals.length > 1) throw new UsageError('Name one flag: flagops eval <key> --env <name>.');
  const now = nowOf(args, io);
  const context = parseContext(args.values.context as string | undefined, io.cwd);
  const validation = runValidation(io.cwd, { config: args.values.config as string | undefined });
  if (validation.configBroken) throw brokenConfig(validation.diagnostics);
  const environment = oneEnvironment(args, validation.project);

  let snapshot: Snapshot;
  let source: string;
  let live: LiveOverride | undefined;
  if (args.values.live) {
    const store = await openEnvironmentStore(validation.project, environment, args, io);
    try {
      snapshot = buildSnapshot(await store.read());
      source = store.label;
    } finally {
      await store.close();
    }
  } else {
    snapshot = snapshotOfDefinitions(validation.flags, environment, validation.segments);
    source = 'this checkout';
    const file = validation.flagFiles.find((f) => f.endsWith(`/${key}.yaml`) || f.endsWith(`/${key}.yml`) || f === `${key}.yaml`);
    if (!snapshot.flags.has(key) && file) {
      throw new UsageError(`The flag file ${file} has errors, so ${key} cannot be evaluated.`, `Run flagops validate ${file}.`);
    }
    // The flag files are not the whole answer while a kill switch stands: look, briefly.
    if (snapshot.flags.has(key)) live = await liveOverride(validation.project, environment, key, args, io);
  }
  if (!snapshot.flags.has(key)) {
    const near = didYouMean(key, snapshot.flags.keys());
    throw new UsageError(`No flag "${key}" in ${environment} (${source}).`, near ? `Did you mean "${near}"?` : 'flagops validate lists the flags.');
  }
  const result = evaluateFlag(snapshot, key, context, undefined as never, () => now);
  const stored = storedFlag(snapshot.sources.get(key));
  const bucket = positions(key, stored, context);
  const segments = segmentsOf(stored, result.rule, context);
  const failed = result.prerequisite;
  const needs = failed && Array.isArray(stored?.requires) ? stored.requires.find((r) => r.flag === failed)?.variant : undefined;
  const prerequisite = failed
    ? { flag: failed, ...(needs ? { needs } : {}), got: evaluateFlag(snapshot, failed, context, undefined as never, () => now) }
    : undefined;
  const output = {
    flag: key,
    environment,
    source: args.values.live ? 'store' : 'checkout',
    at: new Date(now).toISOString(),
    context,
    ...result,
    ...(Object.keys(bucket).length > 0 ? { positions: bucket } : {}),
    ...(segments.length > 0 ? { segments } : {}),
    ...(prerequisite ? { prerequisiteResult: prerequisite } : {}),
    ...(live ? { live } : {}),
  };
  if (format === 'json') {
    io.stdout(`${JSON.stringify({ tool: toolInfo(), command: 'eval', ...output }, null, 2)}\n`);
  } else {
    const lines = [
      `${key} in ${environment} (${source}) at ${output.at}`,
      `  value     ${JSON.stringify(result.value)}`,
      `  variant   ${result.variant ?? '(none: the caller default)'}`,
      `  reason    ${result.reason}${result.errorCode ? ` (${result.errorCode})` : ''}${result.override ? ', by a kill-switch override' : ''}`,
    ];
    if (result.rule) lines.push(`  rule      ${result.rule}`);
    // Outermost first: a segment, then those it matched through.
    if (segments.length > 0) lines.push(`  segment   ${segments.join(', ')}`);
    if (prerequisite) {
      const got = prerequisite.got;
      const why = got.variant === undefined ? `${got.reason}${got.errorCode ? ` ${got.errorCode}` : ''}` : `serves ${got.variant} (${got.reason}${got.override ? ', by a kill-switch override' : ''})`;
      lines.push(`  requires  ${prerequisite.flag} ${prerequisite.needs ?? 'on'}: it ${why}, so ${key} serves its offVariant`);
    }
    for (const [attribute, position] of Object.entries(bucket)) lines.push(`  position  ${position.toFixed(2)} of 100, by ${attribute}`);
    if (result.message) lines.push(`  note      ${result.message}`);
    if (live && 'override' in live && isHold(live.override)) {
      const o = live.override;
      lines.push(`  live      ${live.store} holds the rollout: stages from ${o.hold} wait for guards (${o.guard}) since ${o.at}; this answer is from the flag files at this time, flagops eval --live shows what is served`);
    } else if (live && 'override' in live && isKill(live.override)) {
      const o = live.override;
      lines.push(
        `  live      a kill switch in ${live.store} serves "${o.variant}" to everyone (since ${o.at}, by ${o.actor}: ${o.reason}); this answer is from the flag files, flagops eval --live shows what is served`,
      );
    } else if (live && 'unchecked' in live) {
      lines.push(`  live      not checked for a kill switch: ${live.unchecked} (flagops eval --live reads the store)`);
    }
    io.stdout(`${lines.join('\n')}\n`);
  }
  return result.errorCode ? EXIT.findings : EXIT.ok;
}
