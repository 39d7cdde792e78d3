import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flagops, flagopsJson, where } from '../helpers/cli.js';
import { GitRepo } from '../helpers/git-repo.js';
import { tmpProject, validFlag } from '../helpers/tmp.js';

const config = 'environments:\n  qa: {}\n  staging: {}\n';
const qaFlag = validFlag.replace('staging:', 'qa:');

describe('finding the configuration', () => {
  it('is the nearest flagops.config.yaml or .yml from the working directory up to the repository root', () => {
    const repo = new GitRepo({ 'flagops.config.yml': config, 'flags/a.yaml': qaFlag, 'src/components/deep/x.ts': 'export {};\n' });
    const deep = join(repo.root, 'src/components/deep');
    const result = flagopsJson(['validate'], deep);
    expect(result.code, result.stdout).toBe(0);
    expect(result.json.summary.files).toBe(1);
    // Paths in it are relative to its folder, whatever the working directory.
    expect(flagops(['status', '--env', 'qa'], deep).stdout).toContain('.flagops/store/qa.json');
  });

  it('never looks above the repository root', () => {
    const outer = tmpProject({ 'flagops.config.yaml': config });
    const inner = join(outer, 'repo');
    mkdirSync(join(inner, '.git'), { recursive: true });
    mkdirSync(join(inner, 'flags'));
    writeFileSync(join(inner, 'flags/a.yaml'), qaFlag);
    const result = flagopsJson(['validate'], inner);
    // With the defaults (staging, production) the qa environment is unknown: the outer file was not read.
    expect(result.json.diagnostics.map(where)).toEqual(['flags/a.yaml:7:3 error unknown-environment']);
  });

  it('refuses a folder with both names, and --config wins over both', () => {
    const root = tmpProject({ 'flagops.config.yaml': config, 'flagops.config.yml': config, 'flags/a.yaml': qaFlag, 'other.yaml': config });
    const both = flagops(['validate'], root);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('flagops: Both flagops.config.yaml and flagops.config.yml are in this folder; flagops reads one.\nKeep one of them (merge what the other holds).');
    expect(flagops(['validate', '--config', 'other.yaml'], root).code).toBe(0);
  });
});
