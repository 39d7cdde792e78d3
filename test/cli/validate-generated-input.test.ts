import { spawnSync } from 'node:child_process';
import { chmodSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath, flagops, flagopsJson, where } from '../helpers/cli.js';
import { tmpProject, validFlag, writeFile } from '../helpers/tmp.js';

// Inputs too large or too odd to commit as fixtures are generated here.
describe('flagops validate on hostile input', () => {
  it('reports 10,000-deep flow nesting at its position, without a RangeError', () => {
    const root = tmpProject({
      'flags/deep.yaml': `description: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`,
    });
    const { code, json, stderr } = flagopsJson(['validate'], root);
    expect(stderr).not.toMatch(/RangeError|Maximum call stack/);
    expect(json.diagnostics.map(where)).toEqual([
      expect.stringMatching(/^flags\/deep\.yaml:1:\d+ error yaml-too-deep$/),
    ]);
    expect(code).toBe(1);
  });

  it('reports 1,000-deep block nesting (as deep as fits in the size limit)', () => {
    const text = Array.from({ length: 1_000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n');
    const root = tmpProject({ 'flags/deep.yaml': text });
    const { code, json } = flagopsJson(['validate'], root);
    expect(json.diagnostics).toHaveLength(1);
    expect(json.diagnostics[0]).toMatchObject({ code: 'yaml-too-deep', file: 'flags/deep.yaml' });
    expect(code).toBe(1);
  });

  it('rejects 65 levels that the YAML parser itself still reads', () => {
    const text = `description: ${'{a: '.repeat(65)}1${'}'.repeat(65)}\n`;
    const root = tmpProject({ 'flags/deep.yaml': text });
    const { json } = flagopsJson(['validate'], root);
    // The root mapping is level 1, so the 64th nested mapping (at column 14 + 63 * 4) is level 65.
    expect(json.diagnostics.map(where)).toEqual(['flags/deep.yaml:1:266 error yaml-too-deep']);
    expect(json.diagnostics[0]?.message).toMatch(/deeper than 64 levels/);
  });

  it('shows the first 100 problems of a file and counts the rest, for schema and rule findings alike', () => {
    const unknown = Array.from({ length: 5000 }, (_, i) => `k${i}: 1`).join('\n');
    const environments = Array.from({ length: 3000 }, (_, i) => `  e${i}: { enabled: false }`).join('\n');
    const root = tmpProject({
      'flags/fields.yaml': `${validFlag}${unknown}\n`,
      'flags/envs.yaml': `${validFlag.replace('environments:\n  staging: { enabled: true, serve: on }\n', 'environments:\n')}${environments}\n`,
    });
    const { json } = flagopsJson(['validate'], root);
    for (const [file, code, rest, line] of [
      ['flags/fields.yaml', 'unknown-field', 4900, 108],
      ['flags/envs.yaml', 'unknown-environment', 2900, 107],
    ] as const) {
      const mine = json.diagnostics.filter((d) => d.file === file);
      expect(mine.filter((d) => d.code === code), file).toHaveLength(100);
      expect(mine.filter((d) => d.code === 'more-problems'), file).toEqual([
        expect.objectContaining({ severity: 'error', line, message: `${rest} more problems in this file from here on are not shown (flagops shows the first 100 of a file).` }),
      ]);
    }
    // Duplicate keys are still found, with one set per mapping rather than yaml's pairwise check.
    const dup = tmpProject({ 'flags/dup.yaml': `${validFlag}${Array.from({ length: 3000 }, () => 'tags: [a]').join('\n')}\n` });
    expect(flagopsJson(['validate'], dup).json.diagnostics.map(where).slice(0, 2)).toEqual([
      'flags/dup.yaml:9:1 error yaml-duplicate-key',
      'flags/dup.yaml:10:1 error yaml-duplicate-key',
    ]);
  });

  it('does not read a file over the size limit, and validates the others', () => {
    const root = tmpProject({
      'flags/huge.yaml': `description: "${'x'.repeat(1024 * 1024)}"\n`,
      'flags/fine.yaml': validFlag,
    });
    const { code, json } = flagopsJson(['validate'], root);
    expect(json.diagnostics.map(where)).toEqual(['flags/huge.yaml:1:1 error file-too-large']);
    expect(json.diagnostics[0]?.message).toMatch(/1 MiB, over the limit of 1 MiB; it was not read/);
    expect(json.summary.files).toBe(2);
    expect(code).toBe(1);
  });

  it('honours limits.maxFileBytes from the configuration', () => {
    const root = tmpProject({
      'flagops.config.yaml': 'limits: { maxFileBytes: 2048 }\n',
      'flags/big.yaml': `${validFlag}tags: ["${'t'.repeat(3000)}"]\n`,
    });
    const { json } = flagopsJson(['validate'], root);
    expect(json.diagnostics.map(where)).toEqual(['flags/big.yaml:1:1 error file-too-large']);
    expect(json.diagnostics[0]?.message).toMatch(/over the limit of 2 KiB/);
  });

  it('reports a dangling symlink as unreadable and goes on', () => {
    const root = tmpProject({ 'flags/fine.yaml': validFlag });
    symlinkSync(join(root, 'nowhere.yaml'), join(root, 'flags', 'gone.yaml'));
    const { code, json } = flagopsJson(['validate'], root);
    expect(json.diagnostics.map(where)).toEqual(['flags/gone.yaml:1:1 error file-unreadable']);
    expect(json.diagnostics[0]?.message).toBe('The file could not be read (ENOENT).');
    expect(code).toBe(1);
  });

  it('reports a .yaml entry that is a folder behind a symlink as no regular file', () => {
    const root = tmpProject({ 'flags/fine.yaml': validFlag, 'elsewhere/keep.txt': '' });
    symlinkSync(join(root, 'elsewhere'), join(root, 'flags', 'odd.yaml'));
    const { json } = flagopsJson(['validate'], root);
    expect(json.diagnostics.map(where)).toEqual(['flags/odd.yaml:1:1 error file-not-regular']);
    expect(json.diagnostics[0]?.message).toBe('flags/odd.yaml is a folder, not a regular file; it was not read.');
  });

  // root reads every file whatever its mode, so as root the CLI runs as nobody (uid 65534). That works
  // when nobody may read the checkout; where it may not, the test says so instead of passing in silence.
  const asRoot = process.getuid?.() === 0;
  const nobodyCanRun = !asRoot || canRunAsNobody();
  if (!nobodyCanRun) console.warn('skipped: the EACCES test needs a checkout that uid 65534 can read');
  it.skipIf(!nobodyCanRun)('reports a file without read permission as unreadable', () => {
    const root = tmpProject({
      'flags/secret.yaml': validFlag,
      'flags/fine.yaml': validFlag.replace('A flag', 'B'),
    });
    chmodSync(join(root, 'flags', 'secret.yaml'), 0o000);
    chmodSync(root, 0o755);
    const { code, json } = flagopsJson(['validate'], root, asRoot ? { uid: 65534, gid: 65534 } : {});
    expect(json.diagnostics.map(where)).toEqual(['flags/secret.yaml:1:1 error file-unreadable']);
    expect(json.diagnostics[0]?.message).toBe('The file could not be read (EACCES).');
    expect(code).toBe(1);
  });

  it('points at the first byte that is not UTF-8, on a later line', () => {
    const bytes = Buffer.concat([
      Buffer.from('description: ok\nowner: "@a"\nnote: "caf'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"\n'),
    ]);
    const root = tmpProject({ 'flags/bad.yaml': bytes });
    const { json } = flagopsJson(['validate'], root);
    expect(json.diagnostics.map(where)).toEqual(['flags/bad.yaml:3:11 error file-encoding']);
    expect(json.diagnostics[0]?.message).toMatch(/byte 0xc3 at offset 38/);
  });

  it('accepts a UTF-8 byte order mark and multi-byte text', () => {
    const root = tmpProject({
      'flags/bom.yaml': `\uFEFF${validFlag.replace('A flag for a test.', 'Café ☕ für alle 🚀')}`,
    });
    const { code, json } = flagopsJson(['validate'], root);
    expect(json.diagnostics).toEqual([]);
    expect(code).toBe(0);
  });

  it('fails with exit 2 and a fix when there is no flags folder', () => {
    const root = tmpProject({ 'README.md': 'no flags here\n' });
    const { code, stdout, stderr } = flagops(['validate'], root);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'flagops: No flags folder at flags.\n' +
      'Create it and add one <key>.yaml file per flag, or point paths.flags in flagops.config.yaml at your flags folder.\n' +
      'Run "flagops validate --help".\n',
    );
    expect(code).toBe(2);
  });

  it('validates only the files and folders given as arguments', () => {
    const root = tmpProject({ 'flags/a/one.yaml': validFlag, 'flags/b/two.yaml': 'broken: [\n' });
    writeFile(root, 'elsewhere/three.yaml', validFlag);
    expect(flagopsJson(['validate', 'flags/a', 'elsewhere/three.yaml'], root).code).toBe(0);
    expect(flagopsJson(['validate', 'flags/b'], root).code).toBe(1);
    expect(flagops(['validate', 'flags/c'], root)).toMatchObject({
      code: 2,
      stderr: 'flagops: No file or folder at flags/c.\nCheck the paths you passed.\nRun "flagops validate --help".\n',
    });
  });
});

function canRunAsNobody(): boolean {
  const probe = spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(cliPath)})`], {
    uid: 65534,
    gid: 65534,
  });
  return probe.status === 0;
}
