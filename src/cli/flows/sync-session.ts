import { guardWords } from '../../core/definition/guard-thresholds.js';
import type { ParsedArgs } from '../command.js';
import { compileEnvironment } from '../../core/serving/compile.js';
import { type Plan, planSync } from '../../core/change/plan.js';
import { type LostOverride, lostOverrides } from '../../core/change/overrides.js';
import { planSimpleKeys, type SimpleKeysPlan } from '../../core/serving/simple-keys.js';
import { headCommit } from '../../files/git.js';
import { openStore } from '../../store/open-store.js';
import { AUDIT_SCAN, type FlagStore, isKill, type LiveState } from '../../store/store.js';
import { resolveStoreTarget } from '../../store/target.js';
import { type Io, UsageError } from '../io.js';
import type { Project } from './project.js';
import type { ValidationRun } from './validation.js';

/** The store options of commands that work on one environment (eval, kill, unkill). */
export const oneStoreOptions = {
  env: { type: 'string', short: 'e' },
  redis: { type: 'string' },
  'redis-timeout': { type: 'string' },
} as const;

export const storeOptions = { ...oneStoreOptions, 'all-envs': { type: 'boolean', default: false } } as const;

export const storeOptionsHelp = `  -e, --env <name>         the environment (one of those in flagops.config.yaml)
      --all-envs           every environment, in the order the configuration lists them
      --redis <url>        Redis URL (default: the environment's redis settings, then
                           FLAGOPS_REDIS_URL, else the file store .flagops/store/<env>.json)
      --redis-timeout <ms> how long to wait for Redis to connect (default 5000,
                           or FLAGOPS_REDIS_TIMEOUT_MS)`;

/** --env E or --all-envs → the environments to work on, checked against the configuration. */
export function chosenEnvironments(args: ParsedArgs, project: Project): string[] {
  if (args.values['all-envs']) return Object.keys(project.config.environments);
  return [environmentOf(args, project, '--env <name> or --all-envs')];
}

/** --env E for commands that work on one environment, checked against the configuration. */
export function oneEnvironment(args: ParsedArgs, project: Project): string {
  return environmentOf(args, project, '--env <name>');
}

function environmentOf(args: ParsedArgs, project: Project, how: string): string {
  const declared = Object.keys(project.config.environments);
  const env = args.values.env as string | undefined;
  if (!env) throw new UsageError(`Say which environment: ${how}.`, `Environments: ${declared.join(', ')}.`);
  if (!declared.includes(env)) {
    throw new UsageError(`Unknown environment "${env}".`, `Environments declared in the configuration: ${declared.join(', ')}.`);
  }
  return env;
}

export interface Session {
  environment: string;
  store: FlagStore;
  live: LiveState;
  plan: Plan;
  /** Present when the configuration turns simple per-flag keys on. */
  simple?: SimpleKeysPlan;
  /** Kill switches the audit records that the store no longer holds. */
  lost: LostOverride[];
  /** Why the audit could not be read to check them (a reader user without XREVRANGE). */
  lostUnchecked?: string;
  head?: string;
}

function redisTimeout(args: ParsedArgs, io: Io): number {
  const text = (args.values['redis-timeout'] as string | undefined) ?? io.env.FLAGOPS_REDIS_TIMEOUT_MS ?? '5000';
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms < 100 || ms > 600_000) {
    throw new UsageError(`The Redis timeout must be a whole number of milliseconds from 100 to 600000, not "${text}".`);
  }
  return ms;
}

/** The store of one environment, as --redis, the configuration and the environment variables say. */
export function openEnvironmentStore(project: Project, environment: string, args: ParsedArgs, io: Io): Promise<FlagStore> {
  const target = resolveStoreTarget(environment, project.config, project.root, {
    redis: args.values.redis as string | undefined,
    env: io.env,
    cwd: io.cwd,
    timeoutMs: redisTimeout(args, io),
  });
  return openStore(target);
}

/** The live overrides against the audit; a plan still works for a user that may not read the audit. */
async function checkOverrides(store: FlagStore, live: LiveState): Promise<Pick<Session, 'lost' | 'lostUnchecked'>> {
  try {
    return { lost: lostOverrides(await store.readAudit(AUDIT_SCAN), live.overrides) };
  } catch (error) {
    return { lost: [], lostUnchecked: (error as Error).message };
  }
}

/** Compiles one environment, reads its live state and plans the difference. */
export async function openSession(run: ValidationRun, environment: string, args: ParsedArgs, io: Io): Promise<Session> {
  const store = await openEnvironmentStore(run.project, environment, args, io);
  try {
    const live = await store.read();
    const desired = compileEnvironment(run.flags, environment, run.segments);
    const plan = planSync(desired, { flags: live.flags, checksum: live.meta?.checksum }, guardWords(run.project.config.metrics));
    const session: Session = { environment, store, live, plan, head: headCommit(run.project.root), ...(await checkOverrides(store, live)) };
    if (run.project.config.sync.simpleKeys) {
      const keys = [...new Set([...desired.flags.keys(), ...live.flags.keys()])];
      const overrides = new Map([...live.overrides].flatMap(([key, o]) => (isKill(o) ? [[key, o.variant] as const] : [])));
      session.simple = planSimpleKeys(desired.flags, await store.readSimple(keys), overrides);
    }
    return session;
  } catch (error) {
    await store.close();
    throw error;
  }
}
