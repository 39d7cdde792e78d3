import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagopsAsync } from '../helpers/cli.js';
import { flagFile, GitRepo } from '../helpers/git-repo.js';
import { freePort, type RedisServer, startRedis } from '../helpers/redis-server.js';

const dir = mkdtempSync(join(tmpdir(), 'flagops-tls-'));
let server: RedisServer;
let tlsPort: number;

/** A throw-away CA and a server certificate for 127.0.0.1, made with openssl. */
function makeCertificates() {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=flagops test CA', '-keyout', 'ca.key', '-out', 'ca.pem');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', 'server.key', '-out', 'server.csr');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'san.ext', '-out', 'server.pem');
}

beforeAll(async () => {
  makeCertificates();
  tlsPort = await freePort();
  server = await startRedis([
    '--tls-port', String(tlsPort),
    '--tls-cert-file', join(dir, 'server.pem'),
    '--tls-key-file', join(dir, 'server.key'),
    '--tls-ca-cert-file', join(dir, 'ca.pem'),
    '--tls-auth-clients', 'no',
  ]);
}, 60_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('rediss:// (TLS)', () => {
  it('verifies the certificate: refuses an unknown CA, accepts it once trusted', async () => {
    const repo = new GitRepo({ 'flags/a.yaml': flagFile() });
    repo.commit();
    const url = `rediss://127.0.0.1:${tlsPort}`;
    const untrusted = await flagopsAsync(['sync', '--env', 'production', '--redis', url], repo.root);
    expect(untrusted.code).toBe(2);
    expect(untrusted.stderr).toMatch(/presented a TLS certificate that was not accepted \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)/);
    expect(await server.client().exists('flagops:production:_flags')).toBe(0);

    const trusted = await flagopsAsync(['sync', '--env', 'production', '--redis', url], repo.root, { NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') });
    expect(trusted.stderr).toBe('');
    expect(trusted.code).toBe(0);
    expect(await server.client().hlen('flagops:production:_flags')).toBe(1);
  });
});
