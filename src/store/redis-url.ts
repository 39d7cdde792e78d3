import { StoreConfigError } from './store-config-error.js';

export interface HostPort {
  host: string;
  port: number;
}

/** Where Redis is and how to reach it: one server, a Cluster, or a master found through Sentinels. */
export type RedisEndpoint =
  | { mode: 'standalone'; url: string }
  | { mode: 'cluster'; nodes: HostPort[]; username?: string; password?: string; tls: boolean }
  | { mode: 'sentinel'; sentinels: HostPort[]; name: string; username?: string; password?: string; tls: boolean; db: number };

const USAGE =
  'Use redis://[user:password@]host:port[/db] (rediss:// for TLS), redis+cluster://[user:password@]host:port[,host:port…] ' +
  'or redis+sentinel://[user:password@]host:port[,host:port…]/master-name.';

/**
 * A Redis URL as it may be shown: the password replaced, everything else kept. The password runs
 * to the last @ before the host, as URL parsers (and ioredis) read it, so an unencoded @ inside it
 * cannot leave its tail visible.
 */
export function redactRedisUrl(url: string): string {
  return url.replace(/^([a-z+]+:\/\/[^:/@]*:)[^/]*@/i, '$1***@');
}

/** Text with the password of every Redis URL in it replaced: for code frames of files that hold one. */
export const maskRedisPasswords = (text: string) => text.replace(/(rediss?(?:\+\w+)?:\/\/[^\s:/@]*:)[^\s/"']*@/g, '$1***@');

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Parses any of the three URL forms. Errors never echo the URL: it may hold a password. */
export function parseRedisUrl(url: string): RedisEndpoint {
  // Parsers disagree where such a password ends (at the first @ or the last): refuse the ambiguity.
  const authority = /^[a-z+]+:\/\/([^/?#]*)/i.exec(url)?.[1] ?? '';
  if ((authority.match(/@/g) ?? []).length > 1) {
    throw new StoreConfigError(
      'The Redis URL has more than one @ before its host: a user name or password with an @ in it must be percent-encoded (@ as %40).',
      'For example redis://user:p%40ssword@host:6379 for the password p@ssword.',
    );
  }
  const match = /^(rediss?)(?:\+(cluster|sentinel))?:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#]+)(?:\/([^?#]*))?$/i.exec(url);
  if (!match) {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
    throw new StoreConfigError(
      scheme && !/^rediss?(\+(cluster|sentinel))?$/i.test(scheme)
        ? `The Redis URL must start with redis:// or rediss://, not ${scheme}://.`
        : 'The Redis URL is not a valid Redis URL.',
      USAGE,
    );
  }
  const [, scheme, mode, user, password, hosts, path] = match;
  const tls = scheme!.toLowerCase() === 'rediss';
  const credentials = {
    ...(user ? { username: safeDecode(user) } : {}),
    ...(password ? { password: safeDecode(password) } : {}),
  };
  if (!mode) return { mode: 'standalone', url };
  const list = hosts!.split(',').map((entry) => {
    const [host, port] = entry.split(':');
    const number = Number(port ?? (mode === 'sentinel' ? 26379 : 6379));
    if (!host || !Number.isInteger(number) || number <= 0 || number > 65535) {
      throw new StoreConfigError('The Redis URL lists a host that is not host:port.', USAGE);
    }
    return { host, port: number };
  });
  if (mode.toLowerCase() === 'cluster') return { mode: 'cluster', nodes: list, tls, ...credentials };
  const [name, db] = (path ?? '').split('/');
  if (!name) throw new StoreConfigError('A Sentinel URL names the master after the hosts: …/master-name.', USAGE);
  return { mode: 'sentinel', sentinels: list, name, db: Number(db ?? 0) || 0, tls, ...credentials };
}
