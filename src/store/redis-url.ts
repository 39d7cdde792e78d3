import { StoreConfigError } from './target.js';

/** A Redis URL as it may be shown: the password replaced, everything else kept. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(unparseable Redis URL)';
  }
}

/** Text with the password of every Redis URL in it replaced: for code frames of files that hold one. */
export const maskRedisPasswords = (text: string) => text.replace(/(rediss?(?:\+\w+)?:\/\/[^\s:/@]*:)[^\s/@]+@/g, '$1***@');

/** The password in a URL, for masking (e.g. core.setSecret); undefined when there is none. */
export function redisPassword(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

export function checkRedisUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Never echo the URL itself: it may hold a password.
    throw new StoreConfigError('The Redis URL is not a valid URL.', 'Use redis://[user:password@]host:port[/db] or rediss:// for TLS.');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new StoreConfigError(
      `The Redis URL must start with redis:// or rediss://, not ${parsed.protocol}//.`,
      'Use redis://[user:password@]host:port[/db] or rediss:// for TLS.',
    );
  }
}
