/**
 * OpenFeature's conformance scenarios (open-feature/spec, specification/assets/gherkin/
 * evaluation_v2.feature and the deprecated evaluation.feature) run against FlagopsProvider through
 * OpenFeature's own server SDK. The flags are the suite's test-flags.json written as flagops YAML in
 * test/fixtures/openfeature-conformance/; every scenario below is named after the spec's scenario
 * and example row, with the suite's default, context and expectations.
 *
 * Out of scope for a provider (docs/openfeature.md#conformance says why): "Provider in fatal state
 * error" and the FATAL status row (flagops has no unrecoverable state: it retries the store forever),
 * "CACHED reason" (every evaluation is computed from memory; nothing is cached per call),
 * "Evaluation options with hooks" and the immutability of evaluation details (both are the SDK's).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type EvaluationContext, type EvaluationDetails, type JsonValue, OpenFeature, ProviderStatus } from '@openfeature/server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runValidation } from '../../src/cli/flows/validation.js';
import { compileEnvironment } from '../../src/core/serving/compile.js';
import type { CompiledFlag } from '../../src/core/serving/compiled.js';
import { FlagopsProvider } from '../../src/openfeature/index.js';
import { FileStore } from '../../src/store/file-store.js';
import { StoreWriter } from '../helpers/store-writer.js';
import { until } from '../helpers/wait.js';

type Kind = 'Boolean' | 'String' | 'Integer' | 'Float' | 'Object';
interface Expect {
  value?: JsonValue;
  reason?: string;
  variant?: string;
  errorCode?: string;
  errorMessage?: string;
  metadata?: Record<string, string | number | boolean>;
}
interface Scenario {
  name: string;
  key: string;
  type: Kind;
  default: string;
  context?: EvaluationContext;
  expect: Expect;
  /** Where flagops deliberately differs from the suite: what it does instead, and why. */
  flagops?: { expect: Expect; why: string };
}

const dir = mkdtempSync(join(tmpdir(), 'flagops-conformance-'));
const store = join(dir, 'production.json');
const macrosoft = { email: 'ballmer@macrosoft.com' };
const template = { showImages: true, title: 'Check out these pics!', imagesPerPage: 100 };
const TYPES: Kind[] = ['Boolean', 'String', 'Integer', 'Float', 'Object'];
const KEY_OF: Record<Kind, string> = { Boolean: 'boolean', String: 'string', Integer: 'integer', Float: 'float', Object: 'object' };
const RESOLVED: Record<Kind, { default: string; value: JsonValue; variant: string }> = {
  Boolean: { default: 'false', value: true, variant: 'on' },
  String: { default: 'bye', value: 'hi', variant: 'greeting' },
  Integer: { default: '1', value: 10, variant: 'ten' },
  Float: { default: '0.1', value: 0.5, variant: 'half' },
  Object: { default: '{}', value: template, variant: 'template' },
};
const ZERO: Record<Kind, { default: string; value: JsonValue }> = {
  Boolean: { default: 'true', value: false },
  String: { default: 'hi', value: '' },
  Integer: { default: '1', value: 0 },
  Float: { default: '0.1', value: 0 },
  Object: { default: '{"a": 1}', value: {} },
};
const TARGETED_DEFAULT: Record<Kind, string> = { Boolean: 'true', String: 'str', Integer: '1', Float: '1.0', Object: '{"a": 1}' };
const ERROR_DEFAULT: Record<Kind, string> = { Boolean: 'false', String: 'bye', Integer: '1', Float: '0.1', Object: '{"a": 1}' };
const perType = (name: string, make: (type: Kind) => Omit<Scenario, 'name' | 'type'>): Scenario[] =>
  TYPES.map((type) => ({ name: `${name} › ${type}`, type, ...make(type) }));

/** evaluation_v2.feature, every scenario that exercises a provider. */
const v2: Scenario[] = [
  ...perType('Resolve values', (t) => ({ key: `${KEY_OF[t]}-flag`, default: RESOLVED[t].default, expect: { value: RESOLVED[t].value } })),
  ...perType('Resolves zero value', (t) => ({ key: `${KEY_OF[t]}-zero-flag`, default: ZERO[t].default, expect: { value: ZERO[t].value, reason: 'STATIC' } })),
  ...perType('Resolves zero value with targeting', (t) => ({
    key: `${KEY_OF[t]}-targeted-zero-flag`,
    default: ZERO[t].default,
    context: macrosoft,
    expect: { value: ZERO[t].value, reason: 'TARGETING_MATCH' },
  })),
  ...perType('Resolves zero value with targeting using default', (t) => ({
    key: `${KEY_OF[t]}-targeted-zero-flag`,
    default: ZERO[t].default,
    context: { email: 'ballmer@none.com' },
    expect: { value: ZERO[t].value, reason: 'DEFAULT' },
  })),
  ...perType('Flag not found error', (t) => ({
    key: 'non-existent-flag',
    default: ERROR_DEFAULT[t],
    expect: { value: parseDefault(t, ERROR_DEFAULT[t]), reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' },
  })),
  ...(
    [
      ['boolean-flag', 'String', 'bye'],
      ['string-flag', 'Boolean', 'false'],
      ['string-flag', 'Integer', '1'],
      ['string-flag', 'Object', '{}'],
    ] as Array<[string, Kind, string]>
  ).map(([key, type, fallback]) => ({
    name: `Type mismatch error › ${key} as ${type}`,
    key,
    type,
    default: fallback,
    expect: { value: parseDefault(type, fallback), reason: 'ERROR', errorCode: 'TYPE_MISMATCH' },
  })),
  ...perType('Complete evaluation details structure', (t) => ({
    key: `${KEY_OF[t]}-flag`,
    default: RESOLVED[t].default,
    expect: { value: RESOLVED[t].value, variant: RESOLVED[t].variant, reason: 'STATIC' },
  })),
  {
    name: 'Flag metadata in evaluation details',
    key: 'metadata-flag',
    type: 'Boolean',
    default: 'true',
    expect: { metadata: { string: '1.0.2', integer: 2, float: 0.1, boolean: true } },
  },
  ...perType('Empty evaluation context', (t) => ({
    key: `${KEY_OF[t]}-targeted-zero-flag`,
    default: TARGETED_DEFAULT[t],
    expect: { value: ZERO[t].value, reason: 'DEFAULT' },
  })),
  ...perType('Null context values', (t) => ({
    key: `${KEY_OF[t]}-targeted-zero-flag`,
    default: TARGETED_DEFAULT[t],
    context: { email: null },
    expect: { value: ZERO[t].value, reason: 'DEFAULT' },
  })),
  {
    name: 'Multiple context attributes targeting',
    key: 'complex-targeted',
    type: 'String',
    default: 'false',
    context: { ...macrosoft, role: 'admin', age: 65, customer: false },
    expect: { value: 'INTERNAL', reason: 'TARGETING_MATCH' },
  },
  { name: 'Structure flag evaluation', key: 'object-flag', type: 'Object', default: '{}', expect: { value: template, reason: 'STATIC' } },
  ...perType('Variant field population', (t) => ({ key: `${KEY_OF[t]}-flag`, default: RESOLVED[t].default, expect: { variant: RESOLVED[t].variant } })),
  ...perType('DISABLED reason', (t) => ({
    key: `${KEY_OF[t]}-disabled-flag`,
    default: ERROR_DEFAULT[t],
    expect: { value: parseDefault(t, ERROR_DEFAULT[t]), reason: 'DISABLED' },
    ...(t === 'Object'
      ? {
          flagops: {
            expect: { value: {}, variant: 'empty', reason: 'DISABLED' },
            why: 'a disabled flag serves the offVariant its file declares (here "empty"), so a kill switch never depends on the default each call site passes',
          },
        }
      : {}),
  })),
  {
    name: 'Error message in evaluation details',
    key: 'missing-flag',
    type: 'Boolean',
    default: 'false',
    expect: { reason: 'ERROR', errorMessage: 'flag missing-flag not found' },
  },
  ...(
    [
      ['string-flag', 'Boolean', 'false'],
      ['boolean-flag', 'String', 'bye'],
      ['boolean-flag', 'Integer', '1'],
      ['boolean-flag', 'Float', '0.1'],
    ] as Array<[string, Kind, string]>
  ).map(([key, type, fallback]) => ({
    name: `Default value type validation › ${key} as ${type}`,
    key,
    type,
    default: fallback,
    expect: { value: parseDefault(type, fallback), errorCode: 'TYPE_MISMATCH' },
  })),
  ...perType('Asynchronous flag evaluation', (t) => ({ key: `${KEY_OF[t]}-flag`, default: RESOLVED[t].default, expect: { value: RESOLVED[t].value } })),
];

/** evaluation.feature (deprecated, still run by SDKs). */
const v1: Scenario[] = [
  ...perType('Resolves value', (t) => ({ key: `${KEY_OF[t]}-flag`, default: t === 'Object' ? 'null' : RESOLVED[t].default, expect: { value: RESOLVED[t].value } })),
  ...perType('Resolves details', (t) => ({
    key: `${KEY_OF[t]}-flag`,
    default: t === 'Object' ? 'null' : RESOLVED[t].default,
    expect: { value: RESOLVED[t].value, variant: RESOLVED[t].variant, reason: 'STATIC' },
  })),
  {
    name: 'Resolves based on context',
    key: 'context-aware',
    type: 'String',
    default: 'EXTERNAL',
    context: { fn: 'Sulisław', ln: 'Świętopełk', age: 29, customer: false },
    expect: { value: 'INTERNAL' },
  },
  { name: 'Resolves based on context › empty context', key: 'context-aware', type: 'String', default: 'EXTERNAL', expect: { value: 'EXTERNAL' } },
  { name: 'Flag not found', key: 'missing-flag', type: 'String', default: 'uh-oh', expect: { value: 'uh-oh', reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' } },
  { name: 'Type error', key: 'wrong-flag', type: 'Integer', default: '13', expect: { value: 13, reason: 'ERROR', errorCode: 'TYPE_MISMATCH' } },
];

function parseDefault(type: Kind, text: string): JsonValue {
  if (type === 'Boolean') return text === 'true';
  if (type === 'Integer' || type === 'Float') return Number(text);
  if (type === 'Object') return JSON.parse(text) as JsonValue;
  return text;
}

function evaluate(domain: string, s: Pick<Scenario, 'key' | 'type' | 'default' | 'context'>): Promise<EvaluationDetails<JsonValue>> {
  const client = OpenFeature.getClient(domain);
  const fallback = parseDefault(s.type, s.default);
  const context = s.context ?? {};
  switch (s.type) {
    case 'Boolean':
      return client.getBooleanDetails(s.key, fallback as boolean, context);
    case 'String':
      return client.getStringDetails(s.key, fallback as string, context);
    case 'Integer':
    case 'Float':
      return client.getNumberDetails(s.key, fallback as number, context);
    default:
      return client.getObjectDetails(s.key, fallback as JsonValue, context);
  }
}

function check(details: EvaluationDetails<JsonValue>, s: Scenario) {
  const want = s.flagops?.expect ?? s.expect;
  expect(details.flagKey).toBe(s.key);
  if ('value' in want) expect(details.value).toEqual(want.value);
  if (want.reason) expect(details.reason).toBe(want.reason);
  if (want.variant) expect(details.variant).toBe(want.variant);
  if (want.errorCode) expect(details.errorCode).toBe(want.errorCode);
  else if (want.reason !== 'ERROR') expect(details.errorCode).toBeUndefined();
  if (want.errorMessage) expect(details.errorMessage).toContain(want.errorMessage);
  if (want.metadata) expect(details.flagMetadata).toMatchObject(want.metadata);
}

beforeAll(async () => {
  const run = runValidation(resolve('test/fixtures/openfeature-conformance'), {});
  expect(run.diagnostics).toEqual([]);
  const flags = [...compileEnvironment(run.flags, 'production').flags.values()].map((json) => JSON.parse(json) as CompiledFlag);
  await StoreWriter.of(new FileStore(store)).sync(flags);
  await OpenFeature.setProviderAndWait('conformance', new FlagopsProvider({ file: store }));
});
afterAll(async () => {
  await OpenFeature.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('OpenFeature conformance: evaluation_v2.feature', () => {
  it.each(v2.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
    const pending = evaluate('conformance', s);
    expect(pending).toBeInstanceOf(Promise);
    check(await pending, s);
  });

  it('Evaluation context immutability › the provider leaves the context as it was', async () => {
    const context = { targetingKey: 'u-1', email: 'ballmer@macrosoft.com', nested: { list: [1, 2] } };
    const copy = structuredClone(context);
    await OpenFeature.getClient('conformance').getBooleanDetails('boolean-targeted-zero-flag', true, context);
    expect(context).toEqual(copy);
  });
});

describe('OpenFeature conformance: evaluation.feature (deprecated)', () => {
  it.each(v1.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
    check(await evaluate('conformance', s), s);
  });
});

describe('OpenFeature conformance: provider status', () => {
  it('Provider status accessibility › stable: READY', () => {
    expect(OpenFeature.getClient('conformance').providerStatus).toBe(ProviderStatus.READY);
  });

  it('Provider status accessibility › not ready: NOT_READY, and every type errs PROVIDER_NOT_READY with its default (Provider not ready error)', async () => {
    OpenFeature.setProvider('not-ready', new FlagopsProvider({ file: join(dir, 'not-written-yet.json'), timeoutMs: 2000 }));
    expect(OpenFeature.getClient('not-ready').providerStatus).toBe(ProviderStatus.NOT_READY);
    for (const type of TYPES) {
      const s = { key: `${KEY_OF[type]}-flag`, type, default: ERROR_DEFAULT[type] };
      const details = await evaluate('not-ready', s);
      expect(details, type).toMatchObject({ value: parseDefault(type, s.default), reason: 'ERROR', errorCode: 'PROVIDER_NOT_READY' });
    }
  });

  it('Provider status accessibility › error: ERROR when the store cannot be read at start', async () => {
    await expect(
      OpenFeature.setProviderAndWait('error', new FlagopsProvider({ file: join(dir, 'never-written.json'), timeoutMs: 100 })),
    ).rejects.toThrow(/No flags could be loaded/);
    expect(OpenFeature.getClient('error').providerStatus).toBe(ProviderStatus.ERROR);
  });

  it('Provider status accessibility › stale: STALE when the store goes away after a good start', async () => {
    const path = join(dir, 'goes-away.json');
    await StoreWriter.of(new FileStore(path)).sync([]);
    await OpenFeature.setProviderAndWait('stale', new FlagopsProvider({ file: path, pollIntervalMs: 20 }));
    rmSync(path);
    const client = OpenFeature.getClient('stale');
    await until(() => client.providerStatus === ProviderStatus.STALE);
  });
});
