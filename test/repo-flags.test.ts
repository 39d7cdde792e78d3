import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../src/cli/flows/project.js';
import { FLAG_TYPES, OPERATORS, type Serve } from '../src/core/definition/model.js';
import { validateFlagTexts } from '../src/core/definition/validate/validate-flags.js';
import { readFlagFiles } from '../src/files/read-flag-files.js';
import { repoRoot } from './helpers/cli.js';

const project = loadProject(repoRoot);
const read = readFlagFiles([`${repoRoot}flags`], {
  cwd: repoRoot,
  maxFileBytes: project.config.limits.maxFileBytes,
  root: repoRoot,
});
const { flags, diagnostics } = validateFlagTexts(read.files, project.config);

const serveKind = (serve: Serve) =>
  typeof serve === 'string'
    ? 'variant'
    : 'percentage' in serve
      ? 'percentage'
      : 'split' in serve
        ? 'split'
        : 'rollout';

describe('the repository\'s own flags/', () => {
  it('holds at least ten flags, all valid', () => {
    expect(project.diagnostics).toEqual([]);
    expect(diagnostics).toEqual([]);
    expect(flags.length).toBeGreaterThanOrEqual(10);
  });

  it('together use every type, rule kind, operator and serve form, in two environments', () => {
    const used = {
      types: new Set<string>(),
      ops: new Set<string>(),
      rules: new Set<string>(),
      serves: new Set<string>(),
    };
    const environments = new Set<string>();
    for (const { definition } of flags) {
      used.types.add(definition.type);
      for (const [name, env] of Object.entries(definition.environments)) {
        environments.add(name);
        if (env.serve !== undefined) used.serves.add(serveKind(env.serve));
        for (const rule of env.rules ?? []) {
          used.serves.add(serveKind(rule.serve));
          if (rule.users) used.rules.add('users');
          if (rule.groups) used.rules.add('groups');
          for (const condition of rule.when ?? []) {
            used.rules.add('when');
            used.ops.add(condition.op);
          }
        }
      }
    }
    expect([...used.types].sort()).toEqual([...FLAG_TYPES].sort());
    expect([...used.ops].sort()).toEqual([...OPERATORS].sort());
    expect([...used.rules].sort()).toEqual(['groups', 'users', 'when']);
    expect([...used.serves].sort()).toEqual(['percentage', 'rollout', 'split', 'variant']);
    expect(environments.size).toBeGreaterThanOrEqual(2);
  });

  it('starts every flag file with a yaml-language-server $schema modeline that resolves', () => {
    for (const { file, text } of read.files) {
      const depth = file.split('/').length - 1;
      expect(text.split('\n')[0], file).toBe(
        `# yaml-language-server: $schema=${'../'.repeat(depth)}schema/flag.schema.json`,
      );
    }
    expect(readFileSync(`${repoRoot}flagops.config.yaml`, 'utf8')).toMatch(
      /^# yaml-language-server: \$schema=\.\/schema\/config\.schema\.json\n/,
    );
  });
});
