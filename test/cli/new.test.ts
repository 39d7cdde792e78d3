import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath, flagops } from '../helpers/cli.js';
import { GitRepo } from '../helpers/git-repo.js';

const env = { FLAGOPS_NOW: '2026-11-27' };

function project(files: Record<string, string> = {}) {
  const repo = new GitRepo({ '.github/CODEOWNERS': '/flags/checkout/  @acme/payments\n*.md @acme/docs\n', ...files });
  return repo;
}

/** Runs `flagops new` on a pseudo-terminal and answers each prompt once it shows. */
function onTerminal(cwd: string, args: string[], answers: Array<[prompt: RegExp, keys: string]>): Promise<string> {
  const command = [process.execPath, cliPath, 'new', ...args].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { cwd, env: { PATH: process.env.PATH, TERM: 'xterm', ...env } });
  let output = '';
  let next = 0;
  child.stdout.on('data', (chunk) => {
    output += chunk;
    while (next < answers.length && answers[next]![0].test(output)) child.stdin.write(answers[next++]![1]);
  });
  return new Promise((resolve) => child.on('close', () => resolve(output)));
}

describe('flagops new', () => {
  it('writes a flag that passes check: created today, expiring after the type\'s lifetime, off everywhere, owned as CODEOWNERS says', () => {
    const repo = project({
      'flagops.config.yaml': 'environments:\n  qa: {}\n  production: {}\ntypes:\n  release: { maxLifetimeDays: 21 }\n',
      'src/app.ts': 'export const app = true;\n',
    });
    const result = flagops(['new', 'checkout/expressPay', '--description', 'Apple Pay: on the cart page'], repo.root, { env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Created flags/checkout/expressPay.yaml: release, owner @acme/payments, off in qa and production.');
    expect(readFileSync(join(repo.root, 'flags/checkout/expressPay.yaml'), 'utf8')).toBe(
      [
        '# yaml-language-server: $schema=https://unpkg.com/flagops/schema/flag.schema.json',
        'description: "Apple Pay: on the cart page"',
        'owner: "@acme/payments"',
        'type: release',
        'created: 2026-11-27',
        'expires: 2026-12-18',
        'environments:',
        '  qa:',
        '    enabled: false',
        '  production:',
        '    enabled: false',
        '',
      ].join('\n'),
    );
    expect(flagops(['check'], repo.root, { env }).code).toBe(0);
  });

  it('takes the owner from git when CODEOWNERS names none, adds no expiry to permanent types, and answers in JSON', () => {
    const repo = project();
    const result = flagops(['new', 'growth/banner', '-d', 'Holiday banner', '-t', 'ops', '-f', 'json'], repo.root, { env });
    expect(JSON.parse(result.stdout)).toEqual({ command: 'new', file: 'flags/growth/banner.yaml', key: 'banner', type: 'ops', owner: 'ci@example.test', description: 'Holiday banner', created: '2026-11-27' });
    expect(readFileSync(join(repo.root, 'flags/growth/banner.yaml'), 'utf8')).not.toContain('expires');
  });

  it('refuses a key that exists in any case, an invalid key, and missing options off a terminal, writing nothing', () => {
    const repo = project();
    expect(flagops(['new', 'checkout/express-pay', '-d', 'x'], repo.root, { env }).code).toBe(0);
    const clash = flagops(['new', 'other/Express-Pay', '-d', 'x'], repo.root, { env });
    expect(clash).toMatchObject({ code: 2, stderr: expect.stringContaining('A flag "Express-Pay" exists already: flags/checkout/express-pay.yaml (keys are compared ignoring case).') });
    expect(flagops(['new', 'bad key', '-d', 'x'], repo.root, { env }).stderr).toContain('"bad key" is not a valid flag key');
    expect(flagops(['new', 'constructor', '-d', 'x'], repo.root, { env }).stderr).toContain('would shadow a member of every JavaScript object');
    expect(flagops(['new', 'x', '-t', 'feature'], repo.root, { env }).stderr).toContain('Unknown type "feature".');
    const missing = flagops(['new', 'quiet'], repo.root, { env });
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('Say --description: flagops asks only on a terminal.') });
    expect(existsSync(join(repo.root, 'flags/quiet.yaml'))).toBe(false);
    const style = project({ 'flagops.config.yaml': 'keys: { style: kebab }\n' });
    expect(flagops(['new', 'newThing', '-d', 'x', '-o', '@a'], style.root, { env }).stderr).toContain('is not kebab-case');
  });

  it('asks on a terminal for what the options did not say', { timeout: 30_000 }, async () => {
    const repo = project();
    const output = await onTerminal(repo.root, ['web/dark-mode'], [
      [/Type/, '\r'],
      [/What does it control/, 'Dark mode on the web\r'],
      [/Owner/, '@acme/web\r'],
    ]);
    expect(output).toContain('Created flags/web/dark-mode.yaml: release, owner @acme/web');
    expect(readFileSync(join(repo.root, 'flags/web/dark-mode.yaml'), 'utf8')).toContain('description: Dark mode on the web\nowner: "@acme/web"\ntype: release');
  });

  it('starts an experiment as variants and their split, off everywhere: from --variants and --split, or asked on a terminal', { timeout: 30_000 }, async () => {
    const repo = project({ 'flagops.config.yaml': 'environments:\n  staging: {}\n  production: {}\n' });
    const made = flagops(['new', 'pricing/page-test', '-t', 'experiment', '-d', 'Pricing page layout', '-o', '@acme/growth', '--variants', 'control,compact,annual', '--split', '34,33,33'], repo.root, { env });
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain('split control 34% (the control) / compact 33% / annual 33%, off in staging and production');
    const text = readFileSync(join(repo.root, 'flags/pricing/page-test.yaml'), 'utf8');
    expect(text).toContain('variants:\n  control: control\n  compact: compact\n  annual: annual\noffVariant: control\n');
    expect(text).toContain('  production:\n    enabled: false\n    serve:\n      split:\n        control: 34\n        compact: 33\n        annual: 33\n');
    // Without --variants off a terminal: a control and a treatment, half and half.
    expect(flagops(['new', 'checkout/copy-test', '-t', 'experiment', '-d', 'Copy', '-o', '@acme/growth'], repo.root, { env }).code).toBe(0);
    expect(readFileSync(join(repo.root, 'flags/checkout/copy-test.yaml'), 'utf8')).toContain('split:\n        control: 50\n        treatment: 50\n');
    expect(flagops(['validate'], repo.root).code).toBe(0);
    const enabled = join(repo.root, 'flags/pricing/page-test.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(enabled, text.replace('  staging:\n    enabled: false', '  staging:\n    enabled: true'));
    const seen = new Set(Array.from({ length: 12 }, (_, i) => JSON.parse(flagops(['eval', 'page-test', '--env', 'staging', '--context', `{"userId":"u-${i}"}`, '-f', 'json'], repo.root).stdout).variant as string));
    expect(seen).toEqual(new Set(['control', 'compact', 'annual']));
    for (const [args, message] of [
      [['--variants', 'only'], '--variants takes two or more names'],
      [['--variants', 'a,b', '--split', '50,40'], 'The weights of --split sum to 90, not 100.'],
      [['--variants', 'a,b,c', '--split', '50,50'], '--split takes one weight from 0 to 100 per variant (3)'],
      [['--split', '50,50'], '--split weighs the variants --variants names: give both.'],
    ] as const) {
      const refused = flagops(['new', 'bad-test', '-t', 'experiment', '-d', 'x', '-o', '@a/b', ...args], repo.root, { env });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(message);
    }
    expect(existsSync(join(repo.root, 'flags/bad-test.yaml'))).toBe(false);
    const asked = await onTerminal(repo.root, ['growth/banner-test', '-t', 'experiment'], [
      [/What does it control/, 'Banner copy\r'],
      [/Owner/, '@acme/growth\r'],
      [/Variants/, '\x15control,bold,quiet\r'],
      [/Split/, '\x1550,25,25\r'],
    ]);
    expect(asked).toContain('split control 50% (the control) / bold 25% / quiet 25%');
    expect(readFileSync(join(repo.root, 'flags/growth/banner-test.yaml'), 'utf8')).toContain('split:\n        control: 50\n        bold: 25\n        quiet: 25\n');
  });
});
