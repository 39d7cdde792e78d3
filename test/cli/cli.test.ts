import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, flagops, repoRoot } from '../helpers/cli.js';

const scenario = fixture('validate', 'valid-minimal');
const version = JSON.parse(readFileSync(`${repoRoot}package.json`, 'utf8')).version;

describe('flagops CLI', () => {
  it('lists the commands with --help', () => {
    const { code, stdout } = flagops(['--help'], scenario);
    expect(stdout).toMatch(/^flagops — feature flags as code\n\nUsage: flagops <command> \[options\]/);
    expect(stdout).toMatch(/^ {2}validate {3}Check flag files/m);
    expect(stdout).toMatch(/^ {2}check {6}Everything a pull request must pass/m);
    expect(code).toBe(0);
  });

  it.each(['validate', 'scan', 'check'])('has --help for %s, with options, exit codes and examples', (command) => {
    for (const args of [
      [command, '--help'],
      [command, '-h'],
      ['help', command],
    ]) {
      const { code, stdout } = flagops(args, scenario);
      expect(stdout).toMatch(new RegExp(`^Usage: flagops ${command} \\[options\\]`));
      expect(stdout).toMatch(/--format <format>/);
      expect(stdout).toMatch(/--fail-on <level>/);
      expect(stdout).toMatch(/Exit codes/);
      expect(code).toBe(0);
    }
  });

  it('prints its version', () => {
    expect(flagops(['--version'], scenario)).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('shows help on stderr and exits 2 without a command', () => {
    const { code, stdout, stderr } = flagops([], scenario);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^flagops — feature flags as code/);
    expect(code).toBe(2);
  });

  it.each([
    [['deploy'], 'flagops: Unknown command "deploy".\nCommands: init, new, validate, scan, check, test, segments, codegen, cleanup, diff, plan, sync, status, kill, unkill, guard, eval, site, serve.\nRun "flagops --help".\n'],
    [
      ['validate', '--fomat', 'json'],
      'flagops: Unknown option \'--fomat\'. Did you mean --format?\nRun "flagops validate --help".\n',
    ],
    [
      ['validate', '--format', 'yaml'],
      'flagops: Unknown format "yaml".\nUse one of: text, json, github, sarif, markdown.\nRun "flagops validate --help".\n',
    ],
    [
      ['validate', '--fail-on', 'info'],
      'flagops: --fail-on takes error or warning, not "info".\nRun "flagops validate --help".\n',
    ],
    [
      ['validate', '--config', 'nope.yaml'],
      'flagops: Config file nope.yaml does not exist.\nCheck the --config path.\nRun "flagops validate --help".\n',
    ],
  ])('exits 2 with a one-line reason for %j', (args, message) => {
    const { code, stdout, stderr } = flagops(args, scenario);
    expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: message });
  });

  it('check reports what validate finds, plus the scan', () => {
    const dir = fixture('validate', 'split-sum');
    const validate = JSON.parse(flagops(['validate', '--format', 'json'], dir).stdout);
    const copy = mkdtempSync(join(tmpdir(), 'flagops-check-'));
    cpSync(dir, copy, { recursive: true });
    writeFileSync(join(copy, 'app.ts'), 'export const app = true;\n');
    const check = flagops(['check', '--format', 'json'], copy);
    const output = JSON.parse(check.stdout);
    expect(output.command).toBe('check');
    expect(output.diagnostics).toEqual(validate.diagnostics);
    expect(output.references).toEqual([]);
    expect(output.scan).toMatchObject({ sourceFiles: 1, complete: true });
    expect(check.code).toBe(1);
  });

  it('refuses a scan that would read no source file, naming the globs', () => {
    const dir = fixture('validate', 'split-sum');
    const check = flagops(['check'], dir);
    expect(check.stderr).toContain('No source file under . matches scan.include (**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,py,go,java,kt,kts,cs,rb,rake,php}), so there is nothing to scan.');
    expect(check.stderr).toContain('scan.include: [] if this repository holds flags and no code');
    expect(check.code).toBe(2);
  });

  it('reports a broken configuration at its position and exits 2', () => {
    const { code, stdout } = flagops(['validate'], fixture('validate', 'broken-config'));
    expect(stdout).toBe(`flagops.config.yaml:4:3 error unknown-field
  Unknown field "maxFileBytez" in limits. Did you mean "maxFileBytes"?
  4 |   maxFileBytez: 2048
    |   ^^^^^^^^^^^^
  hint: Fields allowed here: maxFileBytes.

✖ 1 error, 0 warnings (1 file checked)
`);
    expect(code).toBe(2);
  });

  it('finds flagops.config.yaml through --config from another folder', () => {
    const { code, stdout } = flagops(
      ['validate', '--config', 'custom-config/flagops.config.yaml'],
      fixture('validate'),
    );
    expect(stdout).toBe('✔ 1 file checked, no problems\n');
    expect(code).toBe(0);
  });

  it('checks this repository\'s own flags and example code clean', () => {
    // A fixed day: the example release flags expire in December 2026, as real ones do.
    const { code, stdout, stderr } = flagops(['check', '--now', '2026-11-22'], repoRoot);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Scanned \d+ source files .*: 24 references to 12 of 12 flags, 1 dynamic\.$/m);
    expect(stdout).toMatch(/\n✔ \d+ files checked, no problems\n$/);
    expect(code).toBe(0);
  });
});
