import { createHash } from 'node:crypto';
import type { CompiledFlag, CompiledServe } from './compiled.js';
import {
  DEFAULT_OFF_VARIANT,
  DEFAULT_ON_VARIANT,
  DEFAULT_STICKINESS,
  DEFAULT_VARIANTS,
  type FlagDocument,
  type Serve,
} from './model.js';

/**
 * A valid flag as one environment sees it. A flag that does not mention the environment is compiled
 * disabled there, so every environment serves every flag and an unknown key always means a typo.
 */
export function compileFlag(key: string, flag: FlagDocument, environment: string): CompiledFlag {
  const env = Object.hasOwn(flag.environments, environment) ? flag.environments[environment] : undefined;
  const offVariant = flag.offVariant ?? DEFAULT_OFF_VARIANT;
  const enabled = env?.enabled === true;
  const compiled: CompiledFlag = {
    key,
    type: flag.type,
    enabled,
    variants: { ...(flag.variants ?? DEFAULT_VARIANTS) },
    offVariant,
    salt: flag.salt ?? key,
    rules: enabled
      ? (env?.rules ?? []).map((rule) => ({
          ...(rule.name !== undefined ? { name: rule.name } : {}),
          ...(rule.users ? { users: [...rule.users] } : {}),
          ...(rule.groups ? { groups: [...rule.groups] } : {}),
          ...(rule.when ? { when: rule.when.map((c) => ({ ...c })) } : {}),
          serve: compileServe(rule.serve),
        }))
      : [],
    serve: enabled && env?.serve !== undefined ? compileServe(env.serve) : { variant: offVariant },
  };
  if (flag.expires !== undefined) compiled.expires = flag.expires;
  if (flag.metadata !== undefined) compiled.metadata = { ...flag.metadata };
  return compiled;
}

function compileServe(serve: Serve): CompiledServe {
  if (typeof serve === 'string') return { variant: serve };
  const stickiness = serve.stickiness ?? DEFAULT_STICKINESS;
  if ('split' in serve) return { split: Object.entries(serve.split), stickiness };
  const variant = serve.variant ?? DEFAULT_ON_VARIANT;
  if ('percentage' in serve) return { percentage: serve.percentage, variant, stickiness };
  const stages = serve.rollout.stages.map((s) => ({ at: normaliseTime(s.at), percentage: s.percentage }));
  return { stages, variant, stickiness };
}

/** RFC 3339 with any offset → UTC ISO, so readers compare stage times as plain strings or numbers. */
const normaliseTime = (at: string) => new Date(at).toISOString();

/** Canonical JSON of a compiled flag: the bytes a store holds and the checksum covers. */
export const serializeFlag = (flag: CompiledFlag) => JSON.stringify(flag);

/** One checksum over all flags of an environment, independent of order: drift detection compares it. */
export function checksumOf(flags: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256');
  for (const key of [...flags.keys()].sort()) hash.update(key).update('\0').update(flags.get(key)!).update('\n');
  return hash.digest('hex');
}

export interface CompiledEnvironment {
  environment: string;
  /** key → canonical JSON, ready for a store. */
  flags: Map<string, string>;
  checksum: string;
}

export function compileEnvironment(
  flags: ReadonlyArray<{ key: string; definition: FlagDocument }>,
  environment: string,
): CompiledEnvironment {
  const out = new Map<string, string>();
  for (const { key, definition } of [...flags].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    out.set(key, serializeFlag(compileFlag(key, definition, environment)));
  }
  return { environment, flags: out, checksum: checksumOf(out) };
}
