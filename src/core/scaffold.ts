import { stringify } from 'yaml';
import type { Config } from './config.js';
import { addDays } from './dates.js';
import type { FlagType } from './model.js';

export interface NewFlag {
  type: FlagType;
  owner: string;
  description: string;
  /** YYYY-MM-DD. */
  today: string;
  /** The schema for the editor modeline, relative to the new file (or a URL). */
  schema?: string;
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
    environments: Object.fromEntries(Object.keys(config.environments).map((env) => [env, { enabled: false }])),
  };
  const modeline = flag.schema ? `# yaml-language-server: $schema=${flag.schema}\n` : '';
  return `${modeline}${stringify(document, { lineWidth: 0 })}`;
}
