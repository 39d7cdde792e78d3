import { join, resolve } from 'node:path';
import { displayPath } from '../files/read-flag-files.js';
import type { Config } from '../core/definition/config.js';
import { StoreConfigError } from './store-config-error.js';

export type StoreTarget = { kind: 'file'; path: string; label: string } | { kind: 'redis'; url: string; prefix: string; timeoutMs: number };

export { StoreConfigError };

/**
 * Where an environment's flags go: --redis, then the environment's redis settings, then
 * FLAGOPS_REDIS_URL, else the file store. An environment configured for Redis whose URL variable is
 * unset is an error, never a silent fall-back to a local file.
 */
export function resolveStoreTarget(
  environment: string,
  config: Config,
  root: string,
  options: { redis?: string; env: NodeJS.ProcessEnv; cwd: string; timeoutMs?: number },
): StoreTarget {
  const settings = config.environments[environment] ?? {};
  const prefix = settings.prefix ?? `flagops:${environment}`;
  const timeoutMs = options.timeoutMs ?? 5000;
  if (options.redis) return { kind: 'redis', url: options.redis, prefix, timeoutMs };
  if (settings.redis?.urlEnv) {
    const url = options.env[settings.redis.urlEnv];
    if (url) return { kind: 'redis', url, prefix, timeoutMs };
    if (!settings.redis.url) {
      throw new StoreConfigError(
        `Environment "${environment}" reads its Redis URL from ${settings.redis.urlEnv}, which is not set.`,
        `Set ${settings.redis.urlEnv} (e.g. from a CI secret), or pass --redis.`,
      );
    }
  }
  if (settings.redis?.url) return { kind: 'redis', url: settings.redis.url, prefix, timeoutMs };
  if (options.env.FLAGOPS_REDIS_URL) return { kind: 'redis', url: options.env.FLAGOPS_REDIS_URL, prefix, timeoutMs };
  const path = resolve(root, settings.file ?? join('.flagops', 'store', `${environment}.json`));
  return { kind: 'file', path, label: `file ${displayPath(options.cwd, path)}` };
}
