import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { generateCode } from '../../../src/core/lifecycle/codegen/generate.js';
import type { FlagDocument } from '../../../src/core/definition/model.js';

/** What a flag file may hold in a string and that must never end a string, a line or a comment in the generated module. */
const HOSTILE = [
  'line\nbreak',
  'carriage\rreturn',
  'crlf\r\nend',
  'line\u2028separator',
  'paragraph\u2029separator',
  'quote \' here',
  'double " quote',
  'back\\slash',
  'trailing backslash \\',
  'back`tick ${globalThis.pwned = 1}',
  'end */ of comment',
  'start /* of comment',
  '// a line comment',
  '</script><script>globalThis.pwned = 1</script>',
  '\'; globalThis.pwned = 1; \'',
  '\n}; globalThis.pwned = 1; const x = {\n',
  '\u2028globalThis.pwned = 1;//',
  '*/ globalThis.pwned = 1; /*',
  'nul \u0000 and del \u007f and bell \u0007',
  '@deprecated not really',
  'Owner @acme/web and @see elsewhere',
  '🚀 ünïcödé',
];

function flag(i: number, value: string): FlagDocument {
  return {
    description: `Flag ${i}: ${value}`,
    owner: '@acme/web',
    type: 'release',
    created: '2026-11-01',
    expires: '2026-12-30',
    variants: { a: value, b: `other ${i}` },
    offVariant: 'b',
    environments: { production: { enabled: false } },
  };
}

/** Every JSDoc tag in a file, once each: `name: its comment up to a colon`. */
function jsdocTags(source: ts.SourceFile): string[] {
  const tags = new Set<ts.JSDocTag>();
  const visit = (node: ts.Node) => {
    for (const tag of ts.getJSDocTags(node)) tags.add(tag);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return [...tags].map((tag) => `${tag.tagName.text}: ${ts.getTextOfJSDocComment(tag.comment)?.split(':')[0]}`);
}

describe('codegen with hostile values', () => {
  const flags = HOSTILE.map((value, i) => ({ key: `flag-${i}`, definition: flag(i, value) }));
  const options = { today: '2026-12-01', deprecateBeforeDays: 7, targets: ['flagops'] as const, sdkModule: 'flagops\n;globalThis.pwned=1' };
  const { module, deprecated } = generateCode(flags, options);

  it('writes a module that parses, type-checks on its own and runs no code from a flag file', () => {
    const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 };
    const out = ts.transpileModule(module, { reportDiagnostics: true, compilerOptions });
    expect(out.diagnostics ?? []).toEqual([]);
    const context: Record<string, unknown> = { exports: {}, require: () => ({}) };
    runInNewContext(out.outputText, context);
    expect(context.pwned).toBeUndefined();
    const exported = context.exports as { Flags: Record<string, string> };
    expect(Object.values(exported.Flags).sort()).toEqual(flags.map((f) => f.key).sort());
  });

  it('types every value exactly as the flag file writes it', () => {
    const host = ts.createCompilerHost({});
    const source = ts.createSourceFile('flags.gen.ts', module, ts.ScriptTarget.ES2022, true);
    const getSourceFile: ts.CompilerHost['getSourceFile'] = (name, v) => (name === 'flags.gen.ts' ? source : host.getSourceFile(name, v));
    const checker = ts.createProgram({ rootNames: ['flags.gen.ts'], options: { noEmit: true }, host: { ...host, getSourceFile } }).getTypeChecker();
    const values = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'FlagValues')!;
    HOSTILE.forEach((value, i) => {
      const member = values.members.find((m) => m.name!.getText(source) === `'flag-${i}'`)! as ts.PropertySignature;
      const union = checker.getTypeFromTypeNode(member.type!) as ts.UnionType;
      expect(union.types.map((t) => (t as ts.StringLiteralType).value).sort()).toEqual([value, `other ${i}`].sort());
    });
  });

  it('keeps every comment whole: no JSDoc tag but flagops\' own, and the deprecated count from the data', () => {
    const source = ts.createSourceFile('flags.gen.ts', module, ts.ScriptTarget.ES2022, true);
    expect(jsdocTags(source)).toEqual([]);
    expect(deprecated).toBe(0);
    const soon = generateCode(flags, { today: '2026-12-25', deprecateBeforeDays: 7, targets: [], sdkModule: 'flagops' });
    expect(soon.deprecated).toBe(HOSTILE.length);
    expect(jsdocTags(ts.createSourceFile('flags.gen.ts', soon.module, ts.ScriptTarget.ES2022, true))).toEqual(HOSTILE.map(() => 'deprecated: This flag has its last day on 2026-12-30'));
  });
});
