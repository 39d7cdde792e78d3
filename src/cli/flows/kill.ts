import { DEFAULT_OFF_VARIANT } from '../../core/definition/model.js';
import { compileFlag } from '../../core/serving/compile.js';
import { COMPILED_FORMAT, type CompiledFlag } from '../../core/serving/compiled.js';
import { isBroken, parseStoredFlag } from '../../core/serving/evaluate/prepare.js';
import { storedDependables, turnedOffBy } from '../../core/serving/graph/dependents.js';
import { simpleKeyAfterOverride } from '../../core/serving/simple-keys.js';
import { isHold, isKill } from '../../store/store.js';
import type { ParsedArgs } from '../command.js';
import { EXIT, type Io, UsageError } from '../io.js';
import { loadProject } from './project.js';
import { oneEnvironment, oneStoreOptions, openEnvironmentStore } from './sync-session.js';
import { actorOf } from './sync.js';
import { runValidation } from './validation.js';

export const options = {
  ...oneStoreOptions,
  reason: { type: 'string', short: 'r' },
  variant: { type: 'string' },
  actor: { type: 'string' },
  config: { type: 'string', short: 'c' },
  format: { type: 'string', short: 'f', default: 'text' },
} as const;

/** How long kill and unkill retry when other writers keep changing the store. */
const KILL_RETRY_MS = 30_000;

/** kill and unkill: one guarded override write, retried when a sync or another override got in first. */
export async function changeOverride(kind: 'kill' | 'unkill', args: ParsedArgs, io: Io): Promise<number> {
  const [key, ...extra] = args.positionals;
  if (!key || extra.length > 0) throw new UsageError(`Name one flag: flagops ${kind} <key> --env <name>.`);
  const reason = args.values.reason as string | undefined;
  if (kind === 'kill' && !reason?.trim()) {
    throw new UsageError('Say why: --reason "…" (it goes into the audit and the status).', 'For example: --reason "checkout errors, INC-1234".');
  }
  // The reason is printed by status, plan and the Action's log: one line, nothing that could start a new one.
  if (reason !== undefined && /[\p{Cc}\p{Zl}\p{Zp}]/u.test(reason)) {
    throw new UsageError('The --reason must be one line of text, without line breaks or control characters.', 'For example: --reason "checkout errors, INC-1234".');
  }
  const format = String(args.values.format);
  if (format !== 'text' && format !== 'json') throw new UsageError(`Unknown format "${format}".`, 'Use text or json.');
  const project = loadProject(io.cwd, args.values.config as string | undefined);
  const environment = oneEnvironment(args, project);
  const store = await openEnvironmentStore(project, environment, args, io);
  try {
    // Other writers (syncs, other kills) may get in first; an emergency switch keeps trying.
    const deadline = Date.now() + KILL_RETRY_MS;
    for (let attempt = 1; attempt === 1 || Date.now() < deadline; attempt++) {
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 10 * attempt)));
      const live = await store.read();
      if ((live.meta?.format ?? 0) > COMPILED_FORMAT) {
        throw new UsageError(
          `${store.label} holds format ${live.meta!.format}, written by a newer flagops; this one knows format ${COMPILED_FORMAT} and changes nothing there.`,
          `Run the newer flagops: npx flagops@latest ${kind} ${key} --env ${environment} …`,
        );
      }
      const owner = live.meta?.environment;
      if (owner !== undefined && owner !== environment) {
        throw new UsageError(
          `${store.label} holds environment "${owner}", not "${environment}"; nothing was changed.`,
          'Two environments point at one store: give each its own prefix in flagops.config.yaml.',
        );
      }
      const json = live.flags.get(key);
      if (json === undefined) {
        throw new UsageError(`There is no flag "${key}" in ${environment} (${store.label}).`, 'Check the key; flagops status lists what is live.');
      }
      const flag = variantsOf(key, json, environment, io, args);
      if (flag.unreadable && attempt === 1) {
        io.stderr(
          `flagops: warning: the stored ${key} cannot be read (${flag.unreadable}); SDKs serve callers' defaults for it (PARSE_ERROR) until a sync rewrites it, and the override holds from then on.\n`,
        );
      }
      const at = new Date().toISOString();
      const actor = actorOf(args, io, project.root);
      if (kind === 'unkill' && !live.overrides.has(key)) {
        io.stderr(`flagops: ${key} has no override in ${environment}; nothing to undo.\n`);
        return EXIT.findings;
      }
      const variant = (args.values.variant as string | undefined) ?? flag.offVariant;
      if (flag.variants && !Object.hasOwn(flag.variants, variant)) {
        throw new UsageError(`Flag "${key}" has no variant "${variant}".`, `Its variants: ${Object.keys(flag.variants).join(', ')}.`);
      }
      // A simple key must say what the flag serves now, in the same transaction as the override,
      // or simple readers keep serving what the kill switch turned off.
      const simpleInUse = project.config.sync.simpleKeys || (await store.readSimple([key])).has(key);
      const result = await store.writeOverride({
        expectedRevision: live.meta?.revision ?? 0,
        flag: key,
        override: kind === 'kill' ? { variant, reason: reason!.trim(), actor, at } : undefined,
        audit: { kind, actor, at, flag: key, ...(kind === 'kill' ? { variant } : {}), ...(reason ? { reason: reason.trim() } : {}) },
        ...(simpleInUse ? { simple: simpleKeyAfterOverride(json, kind === 'kill' ? variant : undefined) } : {}),
      });
      if (result.status === 'conflict') continue;
      const repaired = live.meta?.problem ? `; ${live.meta.problem}, and is a number again`.replace('_meta.revision is', '_meta.revision was') : '';
      // Dependents through prerequisites: off for everyone while the kill holds; back to their rules after.
      const before = live.overrides.get(key);
      const killed = kind === 'kill' ? variant : isKill(before) ? before.variant : undefined;
      const dependents = killed === undefined ? [] : turnedOffBy(storedDependables(live.flags), key, killed);
      const through = dependents.map((d) => (d.through === key ? d.key : `${d.key} (through ${d.through})`)).join(', ');
      const summary =
        kind === 'kill'
          ? `Killed ${key} in ${environment}: everyone gets ${variant} (revision ${result.revision}${repaired}).\n` +
          (dependents.length > 0 ? `Also off through prerequisites (their offVariant for everyone): ${through}.\n` : '') +
          `Undo with: flagops unkill ${key} --env ${environment}\n`
          : isHold(before)
            ? `Released the hold on ${key} in ${environment}: its rollout stages follow their dates again, unguarded until flagops guard runs (revision ${result.revision}${repaired}).\n`
            : `Restored ${key} in ${environment}: it serves its flag file's rules again (revision ${result.revision}${repaired}).\n` +
              (dependents.length > 0 ? `Its dependents evaluate their own rules again: ${through}.\n` : '');
      const output = { command: kind, environment, flag: key, variant, revision: result.revision, dependents };
      io.stdout(format === 'json' ? `${JSON.stringify(output)}\n` : summary);
      return EXIT.ok;
    }
    io.stderr(`flagops: ${environment} kept changing for ${KILL_RETRY_MS / 1000} s while ${kind} ran (other writers got in first each time); try again.\n`);
    return EXIT.findings;
  } finally {
    await store.close();
  }
}

/**
 * The variants and offVariant of the flag to override: from the stored flag, or, when that cannot be
 * read (written by hand, truncated), from the flag file in this checkout, else the default "off".
 * The kill switch works on any stored value.
 */
function variantsOf(key: string, json: string, environment: string, io: Io, args: ParsedArgs) {
  const stored = parseStoredFlag(key, json);
  if (!isBroken(stored)) return { variants: stored.variants as Record<string, unknown> | undefined, offVariant: stored.offVariant };
  let fromCheckout: CompiledFlag | undefined;
  try {
    const definition = runValidation(io.cwd, { config: args.values.config as string | undefined }).flags.find((f) => f.key === key)?.definition;
    if (definition) fromCheckout = compileFlag(key, definition, environment);
  } catch {
    // No checkout to ask: the default off variant it is.
  }
  return { variants: fromCheckout?.variants, offVariant: fromCheckout?.offVariant ?? DEFAULT_OFF_VARIANT, unreadable: stored.error };
}
