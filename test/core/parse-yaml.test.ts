import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/definition/config.js';
import { parseYaml } from '../../src/core/definition/load/parse-yaml.js';
import { validateFlagTexts } from '../../src/core/definition/validate/validate-flags.js';

describe('parseYaml', () => {
  it('keeps __proto__ and constructor keys as plain data and leaves Object.prototype alone', () => {
    const text = '__proto__: { polluted: yes }\nconstructor: { prototype: { polluted: yes } }\n';
    const { value, diagnostics } = parseYaml('x.yaml', text);
    expect(diagnostics).toEqual([]);
    expect(Object.hasOwn(value as object, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);

    const result = validateFlagTexts([{ file: 'flags/p.yaml', text }], defaultConfig());
    expect(result.diagnostics.map((d) => d.code)).toContain('unknown-field');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('stops an alias bomb before it expands', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    const { value, diagnostics } = parseYaml('bomb.yaml', levels.join('\n'));
    expect(value).toBeUndefined();
    expect(diagnostics).toMatchObject([{ code: 'yaml-alias-limit', line: 2, column: 8 }]);
  });

  it('allows a few aliases, which real files use to share rules', () => {
    const { value, diagnostics } = parseYaml(
      'ok.yaml',
      'base: &b { enabled: true }\nstaging: *b\nproduction: *b\n',
    );
    expect(diagnostics).toEqual([]);
    expect(value).toEqual({
      base: { enabled: true },
      staging: { enabled: true },
      production: { enabled: true },
    });
  });

  it('walks a 400,000-item sequence without recursion or argument spreading', () => {
    const text = `items: [${'1,'.repeat(400_000)}*nowhere]\n`;
    const { diagnostics } = parseYaml('big.yaml', text);
    expect(diagnostics).toMatchObject([{ code: 'yaml-syntax', line: 1 }]);
    expect(diagnostics[0]?.message).toMatch(/Unknown alias \*nowhere/);
  });

  it('reports every duplicate key, naming it', () => {
    const { diagnostics } = parseYaml('d.yaml', 'a: 1\nb: 2\na: 3\nb: 4\n');
    expect(diagnostics.map((d) => [d.line, d.column, d.message.slice(0, 18)])).toEqual([
      [3, 1, 'Duplicate key "a":'],
      [4, 1, 'Duplicate key "b":'],
    ]);
  });

  it('reports one too-deep error, not one per level', () => {
    const { diagnostics } = parseYaml('deep.yaml', `${'['.repeat(20_000)}${']'.repeat(20_000)}`);
    expect(diagnostics.filter((d) => d.code === 'yaml-too-deep')).toHaveLength(1);
  });

  it('caps the number of syntax errors it reports for one file', () => {
    const { diagnostics } = parseYaml('bad.yaml', Array.from({ length: 50 }, () => 'a: [\n\tb').join('\n'));
    expect(diagnostics.length).toBeLessThanOrEqual(10);
    expect(diagnostics.length).toBeGreaterThan(0);
  });

  it('explains a bare @ at the start of a value', () => {
    const { diagnostics } = parseYaml('at.yaml', 'owner: @acme/payments\n');
    expect(diagnostics).toMatchObject([{ code: 'yaml-syntax', line: 1, column: 8 }]);
    expect(diagnostics[0]?.hint).toMatch(/Quote the value/);
  });

  it('treats a file of comments as empty', () => {
    expect(parseYaml('c.yaml', '# nothing\n')).toMatchObject({ empty: true, value: null, diagnostics: [] });
  });
});
