import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { GitRepo } from '../helpers/git-repo.js';

const bundle = `${repoRoot}dist/action/index.js`;
const TOKEN = 'ghs_cleanupT0kenCanary42';

interface Recorded {
  method: string;
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown> | undefined;
}

/** A loopback server that plays the parts of GitHub's REST API the cleanup job uses. */
class FakeGitHub {
  readonly requests: Recorded[] = [];
  private server!: Server;
  private next = 41;

  constructor(
    private readonly open: Array<{ number: number; html_url: string; head: { ref: string } }>,
    private readonly closed: Array<{ number: number; html_url: string; head: { ref: string }; state: string; merged_at: string | null }>,
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req).then(([status, body]) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    }));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage): Promise<[number, unknown]> {
    let text = '';
    for await (const chunk of req) text += chunk;
    const path = req.url ?? '';
    this.requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body: text ? JSON.parse(text) : undefined });
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return [401, { message: 'Bad credentials' }];
    if (req.method === 'GET' && path.startsWith('/repos/acme/shop/pulls?state=open')) return [200, this.open];
    if (req.method === 'GET' && path.startsWith('/repos/acme/shop/pulls?state=closed')) {
      const head = decodeURIComponent(/head=([^&]+)/.exec(path)?.[1] ?? '').split(':')[1];
      return [200, this.closed.filter((p) => p.head.ref === head)];
    }
    if (req.method === 'POST' && path === '/repos/acme/shop/pulls') {
      const number = this.next++;
      return [201, { number, html_url: `https://github.example/acme/shop/pull/${number}`, head: { ref: (JSON.parse(text) as { head: string }).head } }];
    }
    if (req.method === 'POST' && /^\/repos\/acme\/shop\/pulls\/\d+\/requested_reviewers$/.test(path)) return [201, {}];
    return [404, { message: 'Not Found' }];
  }
}

const expired = (owner: string) => `description: Finished.\nowner: "${owner}"\ntype: release\ncreated: 2026-11-01\nexpires: 2026-12-01\nenvironments:\n  production: { enabled: true, serve: on }\n`;

function project(): { repo: GitRepo; remote: string } {
  const repo = new GitRepo({
    '.gitignore': 'node_modules\n.summary.md\n.outputs\n',
    'package.json': '{ "private": true, "type": "module" }\n',
    'tsconfig.json': '{ "compilerOptions": { "strict": true, "module": "NodeNext", "moduleResolution": "NodeNext", "noEmit": true, "types": [] }, "include": ["src"] }\n',
    'flagops.config.yaml': 'environments:\n  production: {}\nscan:\n  include: ["src/**/*.ts"]\n',
    'flags/old-banner.yaml': expired('@acme/web'),
    'flags/dark-mode.yaml': expired('@octo-user'),
    'flags/has-pr.yaml': expired('@acme/web'),
    'flags/declined.yaml': expired('@acme/web'),
    'flags/half.yaml': expired('@acme/web').replace('serve: on', 'serve: { percentage: 50 }'),
    'flags/fresh.yaml': 'description: Still rolling out.\nowner: "@acme/web"\ntype: ops\ncreated: 2026-11-01\nenvironments:\n  production: { enabled: true, serve: { percentage: 30 } }\n',
    'src/client.ts': 'export declare const flags: { isEnabled(key: string): boolean };\n',
    'src/banner.ts': `import { flags } from './client.js';\n\nexport const banner = () => (flags.isEnabled('old-banner') ? 'old' : 'new');\n`,
    'src/theme.ts': `import { flags } from './client.js';\n\nexport function theme(): string {\n  if (flags.isEnabled('dark-mode')) return 'dark';\n  return 'light';\n}\n`,
    'src/other.ts': `import { flags } from './client.js';\n\nexport const a = flags.isEnabled('has-pr');\nexport const b = flags.isEnabled('fresh');\nexport const c = flags.isEnabled('half');\nexport const d = flags.isEnabled('declined');\n`,
  });
  symlinkSync(join(repoRoot, 'node_modules'), join(repo.root, 'node_modules'), 'dir');
  repo.commit('base');
  const remote = mkdtempSync(join(tmpdir(), 'flagops-remote-'));
  execFileSync('git', ['init', '-q', '--bare', remote]);
  repo.git('remote', 'add', 'origin', remote);
  repo.git('push', '-q', 'origin', 'main');
  return { repo, remote };
}

function runBundle(repo: GitRepo, api: string): Promise<{ code: number | null; stdout: string; stderr: string; summary: string; outputs: string }> {
  const summary = join(repo.root, '.summary.md');
  const outputs = join(repo.root, '.outputs');
  writeFileSync(summary, '');
  writeFileSync(outputs, '');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bundle], {
      cwd: repo.root,
      env: {
        PATH: process.env.PATH ?? '',
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: repo.root,
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_OUTPUT: outputs,
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_API_URL: api,
        GITHUB_SERVER_URL: 'https://github.example',
        FLAGOPS_NOW: '2026-12-10',
        INPUT_COMMAND: 'cleanup',
        'INPUT_GITHUB-TOKEN': TOKEN,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr, summary: readFileSync(summary, 'utf8'), outputs: readFileSync(outputs, 'utf8') }));
  });
}

describe('the bundled Action: cleanup pull requests', () => {
  const github = new FakeGitHub(
    [{ number: 7, html_url: 'https://github.example/acme/shop/pull/7', head: { ref: 'flagops/cleanup/has-pr' } }],
    [
      { number: 5, html_url: 'https://github.example/acme/shop/pull/5', head: { ref: 'flagops/cleanup/declined' }, state: 'closed', merged_at: null },
      { number: 3, html_url: 'https://github.example/acme/shop/pull/3', head: { ref: 'flagops/cleanup/dark-mode' }, state: 'closed', merged_at: '2026-12-01T10:00:00Z' },
    ],
  );
  let api: string;
  beforeAll(async () => {
    api = await github.start();
  });
  afterAll(() => github.stop());

  it('pushes one branch and opens one pull request per ready flag, requests the owner\'s review, skips an open or declined one, never prints the token', async () => {
    const { repo, remote } = project();
    try {
      const run = await runBundle(repo, api);
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      const branches = execFileSync('git', ['for-each-ref', '--format=%(refname:short)', 'refs/heads'], { cwd: remote, encoding: 'utf8' }).trim().split('\n').sort();
      expect(branches).toEqual(['flagops/cleanup/dark-mode', 'flagops/cleanup/old-banner', 'main']);
      // Each branch holds its flag's change alone, on top of main.
      const changed = (branch: string) => execFileSync('git', ['diff', '--name-only', 'main', branch], { cwd: remote, encoding: 'utf8' }).trim().split('\n');
      expect(changed('flagops/cleanup/old-banner')).toEqual(['flags/old-banner.yaml', 'src/banner.ts']);
      expect(changed('flagops/cleanup/dark-mode')).toEqual(['flags/dark-mode.yaml', 'src/theme.ts']);
      const theme = execFileSync('git', ['show', 'flagops/cleanup/dark-mode:src/theme.ts'], { cwd: remote, encoding: 'utf8' });
      expect(theme).toBe('export function theme(): string {\n  return \'dark\';\n}\n');

      const created = github.requests.filter((r) => r.method === 'POST' && r.path === '/repos/acme/shop/pulls');
      expect(created.map((r) => [r.body!.head, r.body!.base, r.body!.title])).toEqual([
        ['flagops/cleanup/dark-mode', 'main', 'Remove flag dark-mode'],
        ['flagops/cleanup/old-banner', 'main', 'Remove flag old-banner'],
      ]);
      const body = String(created[1]!.body!.body);
      expect(body).toContain('**Behaviour kept:** variant `on` (`true`), because production serves "on" to everyone.');
      expect(body).toContain('- `src/banner.ts` (modified)\n- `flags/old-banner.yaml` (deleted, flag file)');
      expect(body).toMatch(/\*\*Type check:\*\* `tsc --noEmit -p tsconfig.json` passes after the change/);
      const reviews = github.requests.filter((r) => r.path.endsWith('/requested_reviewers')).map((r) => [r.path, r.body]);
      expect(reviews).toEqual([
        ['/repos/acme/shop/pulls/41/requested_reviewers', { reviewers: ['octo-user'] }],
        ['/repos/acme/shop/pulls/42/requested_reviewers', { team_reviewers: ['web'] }],
      ]);
      expect(github.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
      expect(run.summary).toContain('| `has-pr` | skipped | [pull request #7 is open](https://github.example/acme/shop/pull/7) |');
      expect(run.summary).toContain('| `declined` | skipped | [pull request #5 was closed without merging: reopen it to remove the flag, or move expires later](https://github.example/acme/shop/pull/5) |');
      expect(run.summary).toMatch(/\| `half` \| refused \| flags\/half\.yaml:\d+: flagops cleanup leaves "half" as it is: production serves different variants/);
      expect(run.stdout).toMatch(/^::warning::half: refused/m);
      expect(run.outputs).toContain('https://github.example/acme/shop/pull/41,https://github.example/acme/shop/pull/42');
      // ::add-mask:: is the runner's masking command: it consumes those lines, they never reach the log.
      expect(run.stdout).toContain(`::add-mask::${TOKEN}\n`);
      const logged = run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::')).join('\n');
      for (const text of [logged, run.stderr, run.summary, run.outputs, readFileSync(join(repo.root, '.git/config'), 'utf8')]) {
        expect(text).not.toContain(TOKEN);
        expect(text).not.toContain(Buffer.from(`x-access-token:${TOKEN}`).toString('base64'));
      }
      expect(repo.git('rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
      expect(repo.git('status', '--porcelain')).toBe('');
    } finally {
      rmSync(remote, { recursive: true, force: true });
    }
  });
});
