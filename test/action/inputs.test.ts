import { describe, expect, it } from 'vitest';
import { secretsOf } from '../../src/action/inputs.js';

describe('secretsOf', () => {
  it('masks a password with an unencoded @ whole and in its pieces, as clients and careless readers split it', () => {
    const secrets = secretsOf('redis://u3:canary@9f8e7d@host:6379');
    expect(secrets).toEqual(expect.arrayContaining(['canary@9f8e7d', 'canary', '9f8e7d']));
    expect(secrets).not.toContain('host:6379');
  });

  it('masks the password raw and decoded, and never a piece too short to mask safely', () => {
    expect(secretsOf('redis://u:p%40ss@h')).toEqual(['redis://u:p%40ss@h', 'p%40ss', 'p@ss']);
    expect(secretsOf('redis://u:a@b@h')).toEqual(['redis://u:a@b@h', 'a@b']);
  });
});
