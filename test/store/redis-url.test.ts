import { describe, expect, it } from 'vitest';
import { maskRedisPasswords, parseRedisUrl, redactRedisUrl } from '../../src/store/redis-url.js';

describe('Redis URLs', () => {
  it.each([
    ['redis://127.0.0.1:6379', 'redis://127.0.0.1:6379'],
    ['redis://:s3cret@host:6379/2', 'redis://:***@host:6379/2'],
    ['rediss://user:p%40ss@host', 'rediss://user:***@host'],
    ['redis+cluster://u:pw@a:7000,b:7001', 'redis+cluster://u:***@a:7000,b:7001'],
    ['redis+sentinel://:pw@s1:26379,s2:26380/main', 'redis+sentinel://:***@s1:26379,s2:26380/main'],
    // An unencoded @ in the password: clients split at the last @, and so does the redaction.
    ['redis://u3:canary@9f8e7d@host:6379/0', 'redis://u3:***@host:6379/0'],
  ])('redacts %s', (url, shown) => {
    expect(redactRedisUrl(url)).toBe(shown);
  });

  it('masks every URL password in a text', () => {
    expect(maskRedisPasswords('a: redis://u:one@h\nb: "rediss+cluster://:two@h:1,h:2"')).toBe('a: redis://u:***@h\nb: "rediss+cluster://:***@h:1,h:2"');
    expect(maskRedisPasswords('url: redis://u3:canary@9f8e7d@host:6379 and x@y')).toBe('url: redis://u3:***@host:6379 and x@y');
  });

  it('refuses a URL whose user or password holds an unencoded @, saying to percent-encode it, without echoing it', () => {
    let error: Error | undefined;
    try {
      parseRedisUrl('redis://u3:canary@9f8e7d@host:6379');
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toBe('The Redis URL has more than one @ before its host: a user name or password with an @ in it must be percent-encoded (@ as %40).');
    expect(`${error?.message} ${(error as { hint?: string }).hint}`).not.toMatch(/canary|9f8e7d/);
  });

  it('parses the three forms', () => {
    expect(parseRedisUrl('redis://h:1')).toEqual({ mode: 'standalone', url: 'redis://h:1' });
    expect(parseRedisUrl('rediss+cluster://u:p@a:7000,b:7001')).toEqual({
      mode: 'cluster',
      nodes: [
        { host: 'a', port: 7000 },
        { host: 'b', port: 7001 },
      ],
      tls: true,
      username: 'u',
      password: 'p',
    });
    expect(parseRedisUrl('redis+sentinel://s1,s2:26380/main/3')).toEqual({
      mode: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
      ],
      name: 'main',
      db: 3,
      tls: false,
    });
  });

  it.each([
    ['http://u:secret-canary@h', /must start with redis:\/\/ or rediss:\/\/, not http:\/\//],
    ['redis+sentinel://:secret-canary@h:1', /names the master/],
    ['redis+cluster://:secret-canary@h:notaport', /not host:port/],
    ['not a url secret-canary', /not a valid Redis URL/],
  ])('rejects %s without echoing it', (url, message) => {
    let error: Error | undefined;
    try {
      parseRedisUrl(url);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(message);
    expect(`${error?.message} ${(error as { hint?: string })?.hint}`).not.toContain('secret-canary');
  });
});
