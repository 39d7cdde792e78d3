import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliPath, flagops, repoRoot } from '../helpers/cli.js';
import { flagFile, GitRepo } from '../helpers/git-repo.js';
import { tmpProject, validFlag } from '../helpers/tmp.js';

const broken = () => tmpProject({ 'flags/a.yaml': validFlag.replace('enabled: true', 'enabeld: true') });

/** Runs flagops on a pseudo-terminal (util-linux script), as a person at a terminal does. */
function onTerminal(args: string[], cwd: string, env: Record<string, string>) {
  const command = [process.execPath, cliPath, ...args].map((a) => `'${a}'`).join(' ');
  const result = spawnSync('script', ['-qec', command, '/dev/null'], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, TERM: 'xterm-256color', ...env } });
  return result.stdout;
}

describe('CLI conventions', () => {
  it('guesses what a mistyped command or option meant', () => {
    const root = broken();
    expect(flagops(['chek'], root).stderr).toContain('flagops: Unknown command "chek". Did you mean "check"?');
    expect(flagops(['check', '--fomat', 'json'], root).stderr).toContain('flagops: Unknown option \'--fomat\'. Did you mean --format?');
    expect(flagops(['kill', 'a', '--resaon', 'x'], root).stderr).toContain('Did you mean --reason?');
  });

  it('prints its version', () => {
    const version = (JSON.parse(readFileSync(`${repoRoot}package.json`, 'utf8')) as { version: string }).version;
    expect(flagops(['--version'], repoRoot).stdout).toBe(`${version}\n`);
    expect(flagops(['-v'], repoRoot).stdout).toBe(`${version}\n`);
  });

  it('colours a terminal the way Node decides it, and a pipe only when FORCE_COLOR asks', () => {
    const root = broken();
    const ansi = new RegExp(`${String.fromCharCode(27)}\\[\\d+m`);
    expect(onTerminal(['validate'], root, {})).toMatch(ansi);
    expect(onTerminal(['validate'], root, { NO_COLOR: '1' })).not.toMatch(ansi);
    expect(onTerminal(['validate'], root, { TERM: 'dumb' })).not.toMatch(ansi);
    expect(onTerminal(['validate'], root, { FORCE_COLOR: '0' })).not.toMatch(ansi);
    const piped = (env: Record<string, string>) => spawnSync(process.execPath, [cliPath, 'validate'], { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH, ...env } }).stdout;
    expect(piped({})).not.toMatch(ansi);
    expect(piped({ FORCE_COLOR: '1' })).toMatch(ansi);
    expect(piped({ FORCE_COLOR: '3', NO_COLOR: '1' })).toMatch(ansi);
  });

  it('answers in JSON when asked for JSON, also when it cannot run', () => {
    const empty = tmpProject();
    for (const args of [['status', '--env', 'production', '--format', 'json'], ['validate', '--format=json'], ['plan', '--env', 'nope', '-f', 'json']]) {
      const result = flagops(args, empty);
      expect(result.code, args.join(' ')).toBe(2);
      const json = JSON.parse(result.stdout) as { command: string; error: { message: string } };
      expect(json.command).toBe(args[0]);
      expect(json.error.message.length).toBeGreaterThan(10);
    }
  });

  it('counts in words that read right: one flag, a key no flag defines', () => {
    const repo = new GitRepo({
      'flags/a.yaml': flagFile(),
      'src/app.ts': 'declare const flags: { isEnabled(k: string): boolean };\nflags.isEnabled(\'a\');\nflags.isEnabled(\'b\');\n',
      'flagops.config.yaml': 'scan:\n  include: ["src/**/*.ts"]\n',
    });
    repo.commit();
    expect(flagops(['scan'], repo.root).stdout).toContain('1 reference to 1 of 1 flag, 1 to a key no flag defines.');
    expect(flagops(['sync', '--env', 'production'], repo.root).code).toBe(0);
    repo.write({ 'flags/a.yaml': flagFile('off') }).commit();
    const status = flagops(['status', '--env', 'production'], repo.root).stdout;
    expect(status).toContain('  1 flag, as the last sync wrote them');
    expect(status).toMatch(/: 1 flag differs; flagops plan --env production shows how/);
  });
});
