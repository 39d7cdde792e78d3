import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagops, repoRoot } from '../helpers/cli.js';
import { tmpProject } from '../helpers/tmp.js';

const bundle = `${repoRoot}dist/action/index.js`;
const TOKEN = 'ghs_guardT0kenCanary42';
const METRICS_TOKEN = 'prom-T0ken-Canary-77';

/** Serves on one loopback port, recording requests; `answer` decides each reply. */
async function loopback(answer: (path: string, body: string, auth: string | undefined) => [number, unknown]) {
  const requests: Array<{ path: string; body: string; auth: string | undefined }> = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', body, auth: req.headers.authorization });
      const [status, json] = answer(req.url ?? '', body, req.headers.authorization);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Prometheus' query API answering like a service whose new variant fails: 8% errors against 0.1%. */
const vector = (value: number) => ({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [0, String(value)] }] } });
function prometheusAnswer(_: string, body: string, auth: string | undefined): [number, unknown] {
  if (auth !== `Bearer ${METRICS_TOKEN}`) return [401, { status: 'error', error: 'unauthorized' }];
  const query = new URLSearchParams(body).get('query') ?? '';
  const on = query.includes('variant="on"') || query.includes(', "on")');
  return [200, vector(query.startsWith('sum(increase(flagops_evaluations_total') ? 5000 : on ? 0.08 : 0.001)];
}

describe('the bundled Action: guard', () => {
  let metrics: Awaited<ReturnType<typeof loopback>>;
  let github: Awaited<ReturnType<typeof loopback>>;
  const root = tmpProject({
    'flagops.config.yaml': `environments: { production: {} }\nmetrics:\n  source: { tokenEnv: PROM_TOKEN }\n  error-rate: { description: error rate, query: 'rate_of("$flag", "$variant")', maxIncrease: 1%, minSamples: 500 }\n`,
    'flags/new-checkout.yaml':
      'description: d\nowner: "@octo-user"\ntype: release\ncreated: 2026-12-01\nexpires: 2027-01-05\nguards: [error-rate]\nenvironments:\n  production:\n    enabled: true\n    serve:\n      rollout:\n        stages:\n          - { at: 2026-12-01T00:00:00Z, percentage: 20 }\n          - { at: 2030-01-01T00:00:00Z, percentage: 100 }\n',
  });
  beforeAll(async () => {
    metrics = await loopback(prometheusAnswer);
    github = await loopback((path, body, auth) => {
      if (auth !== `Bearer ${TOKEN}`) return [401, { message: 'Bad credentials' }];
      if (path === '/repos/acme/shop/issues') return [201, { number: 12, html_url: 'https://github.example/acme/shop/issues/12', body }];
      return [404, { message: 'Not Found' }];
    });
    expect(flagops(['sync', '--env', 'production', '--allow-dirty'], root).code).toBe(0);
  });
  afterAll(async () => {
    await metrics.close();
    await github.close();
  });

  it('kills the flag, writes the summary, opens an issue for its owner, and prints no secret', async () => {
    const summary = join(root, '.summary.md');
    const outputs = join(root, '.outputs');
    writeFileSync(summary, '');
    writeFileSync(outputs, '');
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [bundle], {
        cwd: root,
        env: {
          PATH: process.env.PATH ?? '',
          GITHUB_ACTIONS: 'true',
          GITHUB_WORKSPACE: root,
          GITHUB_STEP_SUMMARY: summary,
          GITHUB_OUTPUT: outputs,
          GITHUB_REPOSITORY: 'acme/shop',
          GITHUB_API_URL: github.url,
          FLAGOPS_METRICS_URL: metrics.url,
          PROM_TOKEN: METRICS_TOKEN,
          INPUT_COMMAND: 'guard',
          'INPUT_GITHUB-TOKEN': TOKEN,
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toContain('::error::flagops guard killed new-checkout: https://github.example/acme/shop/issues/12');
    const written = readFileSync(summary, 'utf8');
    expect(written).toContain('#### Guarded rollouts');
    expect(written).toMatch(/\| `new-checkout` \| 1 \(20%\) \| KILLED: serves off to everyone: error rate within \+1% of control over 10m: the increase over control is \+7\.9%/);
    const issue = github.requests.find((r) => r.path === '/repos/acme/shop/issues')!;
    const body = JSON.parse(issue.body) as { title: string; body: string; assignees: string[] };
    expect(body.title).toBe('flagops guard killed new-checkout in production: error-rate');
    expect(body.assignees).toEqual(['octo-user']);
    expect(body.body).toContain('| error-rate | breach | on: 0.08 (5000 samples) | off: 0.001 (5000 samples) |');
    expect(body.body).toContain('`rate_of("new-checkout", "on")`');
    expect(readFileSync(outputs, 'utf8')).toMatch(/killed-flags<<.*\nnew-checkout\n/);
    // The metrics source saw the token; nothing the Action wrote holds it.
    expect(metrics.requests.every((r) => r.auth === `Bearer ${METRICS_TOKEN}`)).toBe(true);
    // The runner takes ::add-mask:: lines and masks what they name: the Action masks both tokens.
    expect(result.stdout).toContain(`::add-mask::${METRICS_TOKEN}`);
    const logged = result.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::')).join('\n');
    for (const text of [logged, result.stderr, written, issue.body]) {
      expect(text).not.toContain(METRICS_TOKEN);
      expect(text).not.toContain(TOKEN);
    }
    const status = flagops(['status', '--env', 'production'], root);
    expect(status.stdout).toMatch(/OVERRIDE: new-checkout serves off since \S+, by flagops guard: guard breached: error rate/);
  });
});
