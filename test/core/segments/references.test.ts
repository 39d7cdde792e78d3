import { describe, expect, it } from 'vitest';
import { runValidation } from '../../../src/cli/flows/validation.js';
import type { Diagnostic } from '../../../src/core/shared/diagnostic.js';
import { flagYaml, segmentYaml } from '../../helpers/segment-project.js';
import { tmpProject } from '../../helpers/tmp.js';

const CONFIG = 'environments: { staging: {}, production: {} }\n';

function validate(files: Record<string, string>) {
  const root = tmpProject({ 'flagops.config.yaml': CONFIG, ...files });
  const run = runValidation(root, {});
  return { run, root, codes: (code: string) => run.diagnostics.filter((d) => d.code === code) };
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle)) + 1;
const at = (d: Diagnostic) => `${d.file}:${d.line}`;

describe('prerequisite cycles', () => {
  it.each([1, 2, 5])('a cycle of %i flag(s) is an error at every edge, naming the whole cycle', (length) => {
    const keys = Array.from({ length }, (_, i) => `f${i + 1}`);
    const files: Record<string, string> = {};
    keys.forEach((key, i) => {
      files[`flags/${key}.yaml`] = flagYaml({ requires: [keys[(i + 1) % length]!] });
    });
    files['flags/free.yaml'] = flagYaml({ requires: ['f1'] });
    const { codes } = validate(files);
    const cycles = codes('prerequisite-cycle');
    expect(cycles.map(at).sort()).toEqual(keys.map((k) => `flags/${k}.yaml:${lineOf(files[`flags/${k}.yaml`]!, '  - f')}`).sort());
    for (const d of cycles) {
      expect(d.severity).toBe('error');
      // The cycle starts at the flag the finding is in and comes back to it.
      const start = d.file.slice('flags/'.length, -'.yaml'.length);
      const cycle = [...keys.slice(keys.indexOf(start)), ...keys.slice(0, keys.indexOf(start)), start].join(' → ');
      expect(d.message).toContain(cycle);
    }
    // A flag that requires a cycle member is not on the cycle.
    expect(cycles.some((d) => d.file === 'flags/free.yaml')).toBe(false);
  });

  it('counts a requires written under one environment only there, and names it', () => {
    const { codes } = validate({
      'flags/a.yaml': flagYaml({ envRequires: { staging: ['b'] } }),
      'flags/b.yaml': flagYaml({ requires: ['a'] }),
      'flags/c.yaml': flagYaml({ envRequires: { production: ['d'] } }),
      'flags/d.yaml': flagYaml({ envRequires: { staging: ['c'] } }),
    });
    const cycles = codes('prerequisite-cycle');
    expect(cycles.map((d) => d.file).sort()).toEqual(['flags/a.yaml', 'flags/b.yaml']);
    expect(cycles[0]!.message).toContain('in "staging"');
  });
});

describe('segment cycles', () => {
  it.each([1, 2, 5])('a cycle of %i segment(s) is an error at every edge', (length) => {
    const keys = Array.from({ length }, (_, i) => `s${i + 1}`);
    const files: Record<string, string> = { 'flags/user.yaml': flagYaml({ rules: ['{ segments: [s1], serve: on }'] }) };
    keys.forEach((key, i) => {
      files[`segments/${key}.yaml`] = segmentYaml(['any:', `  - segments: [${keys[(i + 1) % length]}]`, '  - users: [u-1]']);
    });
    const { codes } = validate(files);
    const cycles = codes('segment-cycle');
    expect(cycles.map(at).sort()).toEqual(keys.map((k) => `segments/${k}.yaml:${lineOf(files[`segments/${k}.yaml`]!, 'segments: [')}`).sort());
    for (const d of cycles) expect(d.message).toMatch(new RegExp(`${d.file.slice(9, -5)} → .*${d.file.slice(9, -5)}\\.`));
  });
});

describe('references that do not resolve', () => {
  it('names an unknown segment and an unknown prerequisite at their line, with the closest key', () => {
    const flag = flagYaml({ requires: ['paymnts'], rules: ['{ segments: { any: [beta-custmers] }, serve: on }'] });
    const { codes } = validate({
      'flags/checkout.yaml': flag,
      'flags/payments.yaml': flagYaml(),
      'segments/beta-customers.yaml': segmentYaml(),
    });
    const [segment] = codes('unknown-segment');
    expect(segment).toMatchObject({ file: 'flags/checkout.yaml', line: lineOf(flag, 'beta-custmers'), flag: 'checkout' });
    expect(segment!.message).toBe('No segment "beta-custmers". Did you mean "beta-customers"?');
    const [prerequisite] = codes('unknown-prerequisite');
    expect(prerequisite).toMatchObject({ file: 'flags/checkout.yaml', line: lineOf(flag, 'paymnts') });
    expect(prerequisite!.message).toContain('Did you mean "payments"?');
  });

  it('refuses a variant the prerequisite does not have, and a plain key on a flag with no true variant', () => {
    const flag = flagYaml({ requires: ['{ flag: search, variant: opensearh }', 'search'] });
    const { codes } = validate({
      'flags/results.yaml': flag,
      'flags/search.yaml': flagYaml({ variants: '{ opensearch: os, on: solr, off: none }' }),
    });
    const found = codes('prerequisite-variant');
    expect(found.map((d) => d.line)).toEqual([lineOf(flag, 'opensearh'), lineOf(flag, '  - search')]);
    expect(found[0]!.message).toContain('Did you mean "opensearch"?');
    expect(found[1]!.hint).toContain('requires: [{ flag: search, variant: opensearch }]');
  });

  it('warns when a prerequisite expires before the flag that needs it', () => {
    const flag = flagYaml({ requires: ['old'], expires: '2026-12-20' });
    const { codes, run } = validate({ 'flags/new.yaml': flag, 'flags/old.yaml': flagYaml({ expires: '2026-12-01' }) });
    expect(codes('prerequisite-expires-first')).toMatchObject([{ severity: 'warning', line: lineOf(flag, '  - old') }]);
    expect(run.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('warns about a segment no flag uses, even through another segment', () => {
    const { codes } = validate({
      'flags/a.yaml': flagYaml({ rules: ['{ segments: [outer], serve: on }'] }),
      'segments/outer.yaml': segmentYaml(['segments: [inner]']),
      'segments/inner.yaml': segmentYaml(),
      'segments/lonely.yaml': segmentYaml(),
    });
    expect(codes('segment-unused').map((d) => d.file)).toEqual(['segments/lonely.yaml']);
  });

  it('refuses a segment in an environment it does not exist in', () => {
    const flag = flagYaml({ rules: ['{ segments: [testers], serve: on }'] });
    const { codes } = validate({ 'flags/a.yaml': flag, 'segments/testers.yaml': segmentYaml(['users: [qa-1]'], ['staging']) });
    expect(codes('segment-not-in-environment')).toMatchObject([{ file: 'flags/a.yaml', line: lineOf(flag, 'testers') }]);
  });

  it('validates just the files given, segment files as segments', () => {
    const root = tmpProject({
      'flagops.config.yaml': CONFIG,
      'flags/a.yaml': flagYaml({ requires: ['b'], rules: ['{ segments: [beta], serve: on }'] }),
      'flags/b.yaml': 'not: [a flag',
      'segments/beta.yaml': segmentYaml(),
      'segments/broken.yaml': 'description: x\n',
    });
    const one = runValidation(root, { paths: ['flags/a.yaml'] });
    expect(one.diagnostics).toEqual([]);
    expect(one.files).toBe(1);
    const segment = runValidation(root, { paths: ['segments/broken.yaml'] });
    expect(segment.diagnostics.map((d) => `${d.file} ${d.code}`)).toEqual(['segments/broken.yaml missing-field']);
  });

  it('reads segments kept inside the flags folder as segments, not flags', () => {
    const root = tmpProject({
      'flagops.config.yaml': `${CONFIG}paths: { segments: flags/segments }\n`,
      'flags/a.yaml': flagYaml({ rules: ['{ segments: [beta], serve: on }'] }),
      'flags/segments/beta.yaml': segmentYaml(),
    });
    const run = runValidation(root, {});
    expect(run.diagnostics).toEqual([]);
    expect(run.flags.map((f) => f.key)).toEqual(['a']);
    expect(run.segments.map((s) => s.key)).toEqual(['beta']);
  });

  it('reports hostile segment files at their line and never calls a segment with a broken file unknown', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)].join('\n');
    const root = tmpProject({
      'flagops.config.yaml': `${CONFIG}limits: { maxFileBytes: 4096 }\n`,
      'flags/a.yaml': flagYaml({ rules: ['{ segments: [syntax, twice, bomb, huge], serve: on }'] }),
      'segments/syntax.yaml': 'description: x\nowner: "@acme/x"\ngroups: [beta\n',
      'segments/twice.yaml': 'description: x\nowner: "@acme/x"\ngroups: [a]\ngroups: [b]\n',
      'segments/bomb.yaml': `${bomb}\n`,
      'segments/huge.yaml': `description: x\nowner: "@acme/x"\nusers: [${Array.from({ length: 2000 }, (_, i) => `u${i}`).join(', ')}]\n`,
    });
    const run = runValidation(root, {});
    const codes = run.diagnostics.map((d) => `${d.file}:${d.line} ${d.code}`);
    expect(codes).toContain('segments/huge.yaml:1 file-too-large');
    expect(codes.some((c) => c.startsWith('segments/syntax.yaml:') && c.endsWith('yaml-syntax'))).toBe(true);
    expect(codes).toContain('segments/twice.yaml:4 yaml-duplicate-key');
    expect(codes.some((c) => c.startsWith('segments/bomb.yaml:') && c.endsWith('yaml-alias-limit'))).toBe(true);
    expect(codes.filter((c) => c.includes('unknown-segment'))).toEqual([]);
    expect(run.segments).toEqual([]);
  });

  it('checks a segment file on its own at file:line:col', () => {
    const { run } = validate({
      'flags/a.yaml': flagYaml({ rules: ['{ segments: [beta], serve: on }'] }),
      'segments/beta.yaml': 'description: x\nowner: "@acme/x"\nwhen:\n  - { attribute: appVersion, op: semver_gte, value: "2.1" }\n',
      'segments/empty.yaml': 'description: x\nowner: "@acme/x"\n',
    });
    expect(run.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual([
      'segments/beta.yaml:4:53 invalid-condition',
      'segments/empty.yaml:1:1 invalid-value',
    ]);
  });
});
