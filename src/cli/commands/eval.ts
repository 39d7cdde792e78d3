import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { bucketPosition } from '../../core/evaluate/bucketing.js';
import { snapshotOfDefinitions } from '../../core/evaluate/checkout.js';
import { evaluateFlag } from '../../core/evaluate/evaluate.js';
import { matchedSegments } from '../../core/evaluate/match.js';
import { buildSnapshot, type Snapshot } from '../../core/evaluate/snapshot.js';
import type { CompiledFlag, CompiledServe } from '../../core/compiled.js';
import { didYouMean } from '../../core/suggest.js';
import type { Command, ParsedArgs } from '../command.js';
import { brokenConfig, type Project } from '../project.js';
import { EXIT, type Io, UsageError } from '../io.js';
import type { Override } from '../../store/store.js';
import { openStore } from '../../store/open-store.js';
import { maskRedisPasswords } from '../../store/redis-url.js';
import { resolveStoreTarget } from '../../store/target.js';
import { nowOf } from '../now.js';
import { toolInfo } from '../output.js';
import { oneEnvironment, oneStoreOptions, openEnvironmentStore } from '../sync-session.js';
import { runValidation } from '../validation.js';

type LiveOverride = { store: string; override: Override } | { store: string; none: true } | { unchecked: string };

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

export const evalCommand: Command = {
  name: 'eval',
  summary: 'Evaluate one flag for a context: value, variant, reason and rule',
  positionals: true,
  options: {
    ...oneStoreOptions,
    context: { type: 'string' },
    now: { type: 'string' },
    live: { type: 'boolean', default: false },
    format: { type: 'string', short: 'f', default: 'text' },
    config: { type: 'string', short: 'c' },
  },
  help: `Usage: flagops eval <key> --env <name> [--context <json>] [options]

Evaluates one flag the way the SDK does and says why: the value, the variant,
the reason (STATIC, TARGETING_MATCH, SPLIT, DISABLED, DEFAULT,
PREREQUISITE_FAILED, ERROR), the rule that matched and the segments it matched
through, the prerequisite that failed and what it served, and the context's
bucket position in any percentage or split.
By default it evaluates this checkout's flag files, and says so when a kill
switch in the environment's store changes that answer; --live evaluates what the
environment's store serves now, kill-switch overrides included.

Options:
  -e, --env <name>         the environment (one of those in flagops.config.yaml)
      --context <json>     the evaluation context as JSON, or @file.json
                           (default {}): '{"userId":"u-1","plan":"pro","groups":["beta"]}'
      --now <time>         evaluate at this time (rollout stages): YYYY-MM-DD, ISO, +7d
      --live               read the environment's store instead of the checkout
      --redis <url>        with --live: Redis URL (default: as flagops sync finds it)
      --redis-timeout <ms> with --live: how long to wait for Redis (default 5000)
  -f, --format <format>    text (default) or json
  -c, --config <file>      configuration file (default: flagops.config.yaml)
  -h, --help               show this help

Exit codes: 0 evaluated, 1 the evaluation failed (a stored flag that cannot be
read), 2 flagops could not run (unknown flag or environment, bad context).

Examples:
  flagops eval new-checkout --env production --context '{"userId":"u-1042"}'
  flagops eval pricing-page-test --env production --context '{"anonymousId":"a-9","plan":"free"}' --format json
  flagops eval new-checkout --env production --context '{"userId":"u-5"}' --now 2026-12-01T09:00:00Z
`,
  async run(args, io) {
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
      if (live && 'override' in live) {
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
  },
};
