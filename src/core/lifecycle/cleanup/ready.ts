import { compileFlag } from '../../serving/compile.js';
import { constantServe, constantsIn } from '../scan/findings/constant-serve.js';
import { type FlagStatus, servingEverywhere } from '../scan/findings/lifecycle.js';
import type { JsonValue } from '../../definition/model.js';
import type { LoadedFlag } from '../../definition/validate/validate-flags.js';

/** What removing a flag keeps: the variant everyone gets, and its value. */
export interface Kept {
  variant: string;
  value: JsonValue;
  /** How it was chosen, for the pull request and the report. */
  because: string;
}

export type KeptOrRefused = Kept | { refused: string };

/**
 * Why a flag is ready to come out of the code, from the status the scan gave it (the one place
 * expiry and staleness are decided): its last day passed, or it serves one variant everywhere.
 */
export function readyReason(flag: LoadedFlag, status: FlagStatus | undefined, now: number, flags: readonly LoadedFlag[] = []): string | undefined {
  if (status === 'expired') return `it expired after ${flag.definition.expires}, its last day`;
  const serving = servingEverywhere(flag, now, flags);
  if (status === 'stale' && serving?.same) return `every environment serves "${serving.variant}" to everyone (${serving.summary})`;
  return undefined;
}

/**
 * The value code keeps once the flag is gone: what `environment` serves to everyone at `now`, or
 * the variant a person chose with --keep. A flag that serves different users different variants
 * there has no one answer, so it is refused with the reason.
 */
export function keptValue(flag: LoadedFlag, environment: string, now: number, keep?: string, flags: readonly LoadedFlag[] = []): KeptOrRefused {
  const compiled = compileFlag(flag.key, flag.definition, environment);
  const variants = compiled.variants;
  if (keep !== undefined) {
    if (!Object.hasOwn(variants, keep)) {
      return { refused: `it has no variant "${keep}" (its variants: ${Object.keys(variants).join(', ')})` };
    }
    return { variant: keep, value: variants[keep]!, because: `--keep ${keep}` };
  }
  if (!Object.hasOwn(flag.definition.environments, environment)) {
    return { refused: `it has no ${environment} environment (cleanup.environment); say which variant stays with --keep <variant>` };
  }
  const constant = constantServe(compiled, now, constantsIn(flags, environment, now));
  if (!constant) {
    return {
      refused: `${environment} serves different variants to different users; say which one stays with --keep <variant> (${Object.keys(variants).join(', ')})`,
    };
  }
  return { variant: constant.variant, value: variants[constant.variant]!, because: `${environment} serves "${constant.variant}" to everyone` };
}
