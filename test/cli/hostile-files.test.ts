/**
 * Flag, spec, config and source files that are not what they seem: a FIFO, a device, a link out of
 * the project into /proc. Each is refused unread, at once, with its path; nothing it holds is shown.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flagops, flagopsJson } from '../helpers/cli.js';
import { tmpProject, validFlag } from '../helpers/tmp.js';

const CANARY = 'canary-env-secret-5521';
const env = { FLAGOPS_TEST_CANARY: `redis://u:${CANARY}@redis.internal:6379` };
const quick = { timeout: 20_000, env };

function project(files: Record<string, string> = {}) {
  return tmpProject({ 'flags/good.yaml': validFlag, ...files });
}
const fifo = (path: string) => execFileSync('mkfifo', [path]);

describe('files that are not regular files inside the project', () => {
  it.each([
    ['a FIFO', (root: string, at: string) => fifo(join(root, at)), /is a FIFO \(named pipe\), not a regular file; it was not read/],
    ['/dev/zero', (root: string, at: string) => symlinkSync('/dev/zero', join(root, at)), /is a link to \/dev\/zero, outside the project/],
    ['/proc/self/environ', (root: string, at: string) => symlinkSync('/proc/self/environ', join(root, at)), /is a link to \/proc\/self\/environ, outside the project/],
  ])('a flag file that is %s is refused at once, the other flags still checked', (_name, make, message) => {
    const root = project();
    make(root, 'flags/evil.yaml');
    const result = flagopsJson(['validate'], root, quick);
    expect(result.code).toBe(1);
    expect(result.json.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual([
      expect.stringMatching(/^flags\/evil\.yaml:1:1 file-(not-regular|outside-project)$/),
    ]);
    expect(result.json.diagnostics[0]!.message).toMatch(message);
    const text = flagops(['validate'], root, quick);
    expect(text.stdout + text.stderr).not.toContain(CANARY);
  });

  it('a spec file that is a FIFO or a link out of the project is refused the same way', () => {
    const root = project();
    mkdirSync(join(root, 'flag-tests'));
    fifo(join(root, 'flag-tests/pipe.yaml'));
    symlinkSync('/proc/self/environ', join(root, 'flag-tests/environ.yaml'));
    const result = flagops(['test'], root, quick);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toMatch(/flag-tests\/environ\.yaml:1:1 error file-outside-project/);
    expect(result.stdout).toMatch(/flag-tests\/pipe\.yaml:1:1 error file-not-regular/);
    expect(result.stdout + result.stderr).not.toContain(CANARY);
  });

  it('a configuration file that is a link out of the project, or a FIFO, is refused with its path', () => {
    const linked = project();
    symlinkSync('/proc/self/environ', join(linked, 'flagops.config.yaml'));
    const out = flagops(['validate'], linked, quick);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/flagops: Config file flagops\.config\.yaml is a link to \/proc\/self\/environ, outside the project/);
    expect(out.stdout + out.stderr).not.toContain(CANARY);
    const piped = project();
    fifo(join(piped, 'flagops.config.yaml'));
    const pipe = flagops(['validate'], piped, quick);
    expect(pipe.code).toBe(2);
    expect(pipe.stderr).toMatch(/Config file flagops\.config\.yaml is a FIFO \(named pipe\), not a regular file/);
  });

  it('a source file that is a FIFO or a device does not hang the scan, and is reported when named', () => {
    const root = project({ 'src/app.ts': 'export const x = 1;\n' });
    fifo(join(root, 'src/pipe.ts'));
    symlinkSync('/dev/zero', join(root, 'src/zero.ts'));
    expect(flagopsJson(['scan'], root, quick).json.diagnostics.filter((d) => d.code.startsWith('source-'))).toEqual([]);
    const named = flagopsJson(['scan', 'src/pipe.ts', 'src/zero.ts'], root, quick).json.diagnostics.filter((d) => d.code.startsWith('source-'));
    expect(named.map((d) => `${d.file} ${d.code}`).sort()).toEqual(['src/pipe.ts source-unreadable', 'src/zero.ts source-unreadable']);
    expect(named.map((d) => d.message).sort()).toEqual([
      expect.stringContaining('is a FIFO (named pipe), not a regular file'),
      expect.stringContaining('is a character device, not a regular file'),
    ]);
  });

  it('a link inside the project is followed as before', () => {
    const root = project();
    mkdirSync(join(root, 'shared'));
    execFileSync('cp', [join(root, 'flags/good.yaml'), join(root, 'shared/real.yaml')]);
    symlinkSync(join(root, 'shared/real.yaml'), join(root, 'flags/linked.yaml'));
    expect(flagops(['validate'], root, quick)).toMatchObject({ code: 0 });
  });
});
