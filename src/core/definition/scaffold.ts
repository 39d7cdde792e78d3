import { stringify } from 'yaml';
import type { Config } from './config.js';
import { addDays } from '../shared/dates.js';
import type { FlagType } from './model.js';

export interface NewFlag {
  type: FlagType;
  owner: string;
  description: string;
  /** YYYY-MM-DD. */
  today: string;
  /** The schema for the editor modeline, relative to the new file (or a URL). */
  schema?: string;
  /**
   * Variants and their weights (summing to 100), for an experiment or a multivariate flag: each
   * variant serves its own name, the first is the control (offVariant), and every environment
   * holds the split, off until someone turns it on.
   */
  split?: Array<[variant: string, weight: number]>;
}

/**
 * A new flag file: created today, expiring after the type's longest lifetime when it has one, off
 * in every environment the configuration declares (turning it on is the reviewed change).
 */
export function newFlagText(flag: NewFlag, config: Config): string {
  const policy = config.types[flag.type];
  // A type that must expire but sets no longest lifetime gets a month: a date to revisit, not a rule.
  const lifetime = policy.maxLifetimeDays ?? (policy.requireExpires ? 30 : null);
  const document = {
    description: flag.description,
    owner: flag.owner,
    type: flag.type,
    created: flag.today,
    ...(lifetime !== null ? { expires: addDays(flag.today, lifetime) } : {}),
    ...(flag.split ? { variants: Object.fromEntries(flag.split.map(([v]) => [v, v])), offVariant: flag.split[0]![0] } : {}),
    environments: Object.fromEntries(Object.keys(config.environments).map((env) => [env, offState(flag)])),
  };
  const modeline = flag.schema ? `# yaml-language-server: $schema=${flag.schema}\n` : '';
  return `${modeline}${stringify(document, { lineWidth: 0 })}`;
}

/** Off, and for a split the split it runs once someone enables it. */
function offState(flag: NewFlag) {
  return flag.split ? { enabled: false, serve: { split: Object.fromEntries(flag.split) } } : { enabled: false };
}
