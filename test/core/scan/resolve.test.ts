import { describe, expect, it } from 'vitest';
import type { ModuleFacts, ValueExpr } from '../../../src/core/lifecycle/scan/facts.js';
import { KeyResolver } from '../../../src/core/lifecycle/scan/resolve/resolve.js';
import { inferWrappers } from '../../../src/core/lifecycle/scan/resolve/wrappers.js';

const module = (file: string, parts: Partial<ModuleFacts>): ModuleFacts => ({
  file,
  lines: 1,
  declarations: new Map(),
  imports: new Map(),
  exports: new Map(),
  starExports: [],
  starImports: [],
  candidates: [],
  wrappers: [],
  otherCalls: [],
  functions: [],
  ...parts,
});

function graph(modules: ModuleFacts[]) {
  const byFile = new Map(modules.map((m) => [m.file, m]));
  return new KeyResolver({ facts: (f) => byFile.get(f), resolveImport: (s) => (byFile.has(s.replace('./', '')) ? s.replace('./', '') : undefined) });
}
const ref = (...path: string[]): ValueExpr => ({ k: 'ref', path });

describe('key resolution across modules', () => {
  it('follows renamed re-exports, star exports and namespaces', () => {
    const keys = module('keys', { declarations: new Map([['A', { k: 'str', v: 'a' }]]), exports: new Map([['A', { local: 'A' }]]) });
    const index = module('index', { starExports: ['./keys'], exports: new Map([['B', { from: './keys', name: 'A' }], ['ns', { from: './keys', name: '*' }]]) });
    const app = module('app', { imports: new Map([['A', { from: './index', name: 'A' }], ['B', { from: './index', name: 'B' }], ['I', { from: './index', name: '*' }]]) });
    const resolver = graph([keys, index, app]);
    expect(resolver.value(ref('A'), 'app')).toEqual({ s: 'a' });
    expect(resolver.value(ref('B'), 'app')).toEqual({ s: 'a' });
    expect(resolver.value(ref('I', 'ns', 'A'), 'app')).toEqual({ s: 'a' });
  });

  it('says why, instead of looping, on circular consts and exports', () => {
    const loop = module('loop', {
      declarations: new Map<string, ValueExpr>([['X', ref('Y')], ['Y', ref('X')]]),
      starExports: ['./loop'],
    });
    const resolver = graph([loop]);
    expect(resolver.value(ref('X'), 'loop')).toEqual({ opaque: 'its definition is circular or nested too deeply' });
    const user = module('user', { imports: new Map([['Z', { from: './loop', name: 'Z' }]]) });
    expect(graph([loop, user]).value(ref('Z'), 'user')).toMatchObject({ opaque: expect.stringMatching(/circular|does not export/) });
  });

  it('names packages it does not read', () => {
    const app = module('app', { imports: new Map([['K', { from: '@acme/flags', name: 'K' }]]) });
    expect(graph([app]).value(ref('K'), 'app')).toEqual({ opaque: 'K comes from "@acme/flags", which flagops does not read' });
  });
});

describe('wrapper inference', () => {
  it('follows wrappers of wrappers across modules, but not names too common to follow', () => {
    const at = { line: 1, column: 1, endLine: 1, endColumn: 2, form: 'call' as const, strict: true, text: 'k' };
    const lib = module('lib', { wrappers: [{ name: 'isOn', argument: 0, strict: true, line: 2, column: 3, calls: 'isEnabled', method: false }] });
    const mid = module('mid', {
      otherCalls: [
        { name: 'isOn', bound: 'global', args: [{ ...at, via: 'isOn', key: { k: 'param', index: 1, fn: 'isOnFor' } }] },
        { name: 'isOnFor', bound: 'global', args: [null, { ...at, via: 'isOnFor', key: { k: 'param', index: 0, fn: 'get' } }] },
      ],
    });
    const wrappers = inferWrappers([lib, mid], new Set(['isEnabled']), () => true, () => undefined);
    expect([...wrappers.patterns.values()].map((w) => `${w.name}/${w.argument} → ${w.wrapper?.calls}`)).toEqual(['isOn/0 → isEnabled', 'isOnFor/1 → isOn']);
  });
});
