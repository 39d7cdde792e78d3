import { daysBetween } from '../dates.js';
import { DEFAULT_OFF_VARIANT, type FlagDocument, type JsonValue } from '../model.js';
import { camelCase } from '../scan/key-aliases.js';
import { variantsOf } from '../validate/walk.js';

/** The SDKs the generated module has typed views of. */
export const CODEGEN_TARGETS = ['flagops', 'openfeature-server', 'openfeature-web', 'openfeature-react'] as const;
export type CodegenTarget = (typeof CODEGEN_TARGETS)[number];

export interface CodegenOptions {
  /** Today, YYYY-MM-DD (UTC): a key is @deprecated from `deprecateBeforeDays` before its last day. */
  today: string;
  deprecateBeforeDays: number;
  targets: readonly CodegenTarget[];
  /** Where the flagops SDK's types are imported from. */
  sdkModule: string;
}

export interface CodegenFlag {
  key: string;
  definition: FlagDocument;
}

/** The OpenFeature CLI's flag types. */
type ManifestType = 'boolean' | 'string' | 'integer' | 'float' | 'object';

const MANIFEST_SCHEMA = 'https://raw.githubusercontent.com/open-feature/cli/main/schema/v0/flag-manifest.json';

/**
 * Flags → a TypeScript module (keys, per-flag variant and value types, typed views of the SDKs)
 * and an OpenFeature CLI flag manifest. Pure and deterministic: sorted, no timestamps; the only
 * input that changes with time is which keys are past their deprecation day.
 */
export function generateCode(flags: readonly CodegenFlag[], options: CodegenOptions): { module: string; manifest: string } {
  const sorted = [...flags].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { module: moduleText(sorted, options), manifest: manifestText(sorted) };
}

function manifestType(values: readonly JsonValue[]): ManifestType {
  if (values.every((v) => typeof v === 'boolean')) return 'boolean';
  if (values.every((v) => typeof v === 'string')) return 'string';
  if (values.every((v) => typeof v === 'number')) return values.every((v) => Number.isInteger(v)) ? 'integer' : 'float';
  return 'object';
}

/** The value a reader falls back to: the flag's off variant. */
function offValue(d: FlagDocument): JsonValue {
  const variants = variantsOf(d);
  return variants[d.offVariant ?? DEFAULT_OFF_VARIANT] ?? Object.values(variants)[0] ?? null;
}

function manifestText(flags: readonly CodegenFlag[]): string {
  const out: Record<string, { flagType: ManifestType; defaultValue: JsonValue; description: string }> = {};
  for (const { key, definition: d } of flags) {
    out[key] = { flagType: manifestType(Object.values(variantsOf(d))), defaultValue: offValue(d), description: d.description };
  }
  return `${JSON.stringify({ $schema: MANIFEST_SCHEMA, flags: out }, null, 2)}\n`;
}

const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, '\\\'')}'`;
/** A JSON value as a TypeScript type: JSON's syntax is valid type syntax (literals, tuples, object types). */
const jsonType = (value: JsonValue): string => {
  if (typeof value === 'string') return quote(value);
  if (Array.isArray(value)) return `readonly [${value.map(jsonType).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0 ? '{}' : `{ readonly ${entries.map(([k, v]) => `${quote(k)}: ${jsonType(v)}`).join('; readonly ')} }`;
  }
  return JSON.stringify(value);
};
function union(types: readonly string[]): string {
  const distinct = [...new Set(types)];
  if (distinct.length === 0) return 'never';
  const both = distinct.includes('true') && distinct.includes('false');
  return (both ? ['boolean', ...distinct.filter((t) => t !== 'true' && t !== 'false')] : distinct).join(' | ');
}
/** Text from a flag file inside a comment: nothing may end the comment early. */
const commentText = (s: string) => s.replace(/\*\//g, '*\u200b/').replace(/\r?\n/g, ' ');

function docComment(d: FlagDocument, options: CodegenOptions, indent: string): string[] {
  const facts = [`Owner ${d.owner}`, d.type, d.expires ? `last day ${d.expires}` : 'no expiry'];
  const lines = [commentText(d.description), '', `${facts.join(' · ')}.`];
  if (d.expires !== undefined && daysBetween(options.today, d.expires) <= options.deprecateBeforeDays) {
    const when = options.today > d.expires ? `expired after ${d.expires}` : `has its last day on ${d.expires}`;
    lines.push(`@deprecated This flag ${when}: remove it from the code (owner ${d.owner}).`);
  }
  return [`${indent}/**`, ...lines.map((l) => (l === '' ? `${indent} *` : `${indent} * ${commentText(l)}`)), `${indent} */`];
}

/** Property names for the Flags object: the camelCase key, or the key itself where that clashes or is no identifier. */
function propertyNames(flags: readonly CodegenFlag[]): Map<string, string> {
  const counts = new Map<string, number>();
  for (const { key } of flags) counts.set(camelCase(key), (counts.get(camelCase(key)) ?? 0) + 1);
  return new Map(
    flags.map(({ key }) => {
      const name = camelCase(key);
      return [key, /^[A-Za-z_$][\w$]*$/.test(name) && counts.get(name) === 1 ? name : quote(key)];
    }),
  );
}

function moduleText(flags: readonly CodegenFlag[], options: CodegenOptions): string {
  const out: string[] = [
    '// Generated by `flagops codegen` from the flag files: do not edit, run it again.',
    '/* eslint-disable */',
    '',
  ];
  if (options.targets.includes('flagops')) out.push(`import type { EvaluationContext, FlagClient } from ${quote(options.sdkModule)};`);
  if (options.targets.includes('openfeature-server')) {
    out.push('import type { Client as OpenFeatureClient, EvaluationContext as OpenFeatureContext } from \'@openfeature/server-sdk\';');
  }
  if (options.targets.includes('openfeature-web')) {
    out.push('import type { Client as OpenFeatureWebClient } from \'@openfeature/web-sdk\';');
  }
  if (options.targets.includes('openfeature-react')) {
    out.push('import { useBooleanFlagValue, useNumberFlagValue, useStringFlagValue } from \'@openfeature/react-sdk\';');
  }
  if (options.targets.length > 0) out.push('');
  const byType = new Map<ManifestType, string[]>();
  for (const { key, definition } of flags) {
    const type = manifestType(Object.values(variantsOf(definition)));
    byType.set(type, [...(byType.get(type) ?? []), key]);
  }
  const keyUnion = (keys: readonly string[]) => (keys.length === 0 ? ' never;' : keys.map((k) => `\n  | ${quote(k)}`).join('') + ';');
  out.push(`/** Every flag key. */\nexport type FlagKey =${keyUnion(flags.map((f) => f.key))}`, '');
  out.push(`/** Keys of flags whose variants are booleans: what isEnabled() and getBooleanValue() read. */\nexport type BooleanFlagKey =${keyUnion(byType.get('boolean') ?? [])}`, '');
  out.push(`/** Keys of flags whose variants are strings. */\nexport type StringFlagKey =${keyUnion(byType.get('string') ?? [])}`, '');
  out.push(`/** Keys of flags whose variants are numbers. */\nexport type NumberFlagKey =${keyUnion([...(byType.get('integer') ?? []), ...(byType.get('float') ?? [])])}`, '');
  out.push(`/** Keys of flags whose variants are objects or lists, or mixed. */\nexport type ObjectFlagKey =${keyUnion(byType.get('object') ?? [])}`, '');

  out.push('/** Each flag\'s variant names. */', 'export interface FlagVariants {');
  for (const { key, definition } of flags) out.push(`  ${quote(key)}: ${union(Object.keys(variantsOf(definition)).map(quote))};`);
  out.push('}', '');
  out.push('/** The values each flag can serve. */', 'export interface FlagValues {');
  for (const { key, definition } of flags) out.push(`  ${quote(key)}: ${union(Object.values(variantsOf(definition)).map(jsonType))};`);
  out.push('}', '');

  const names = propertyNames(flags);
  out.push('/** Every flag key by name, with its description, owner and last day; marked deprecated from a few days before that day. */', 'export const Flags = {');
  for (const { key, definition } of flags) {
    out.push(...docComment(definition, options, '  '), `  ${names.get(key)}: ${quote(key)},`);
  }
  out.push('} as const satisfies Record<string, FlagKey>;', '');

  if (options.targets.includes('flagops')) {
    out.push(
      '/** The flagops client, typed by this project\'s flags: a misspelt key or variant is a compile error. */',
      'export interface TypedFlagClient {',
      '  isEnabled(key: BooleanFlagKey, context?: EvaluationContext, fallback?: boolean): boolean;',
      '  getVariant<K extends FlagKey>(key: K, context?: EvaluationContext): FlagVariants[K] | undefined;',
      '  getValue<K extends FlagKey>(key: K, context: EvaluationContext | undefined, fallback: FlagValues[K]): FlagValues[K];',
      '}',
      '',
      '/** A typed view of a flagops client (the same object). */',
      'export function typedFlags(client: FlagClient): TypedFlagClient {',
      '  return client as unknown as TypedFlagClient;',
      '}',
      '',
    );
  }
  if (options.targets.includes('openfeature-server')) {
    out.push(
      '/** An OpenFeature server client, typed by this project\'s flags. */',
      'export interface TypedOpenFeatureClient {',
      '  getBooleanValue(key: BooleanFlagKey, fallback: boolean, context?: OpenFeatureContext): Promise<boolean>;',
      '  getStringValue<K extends StringFlagKey>(key: K, fallback: FlagValues[K], context?: OpenFeatureContext): Promise<FlagValues[K]>;',
      '  getNumberValue<K extends NumberFlagKey>(key: K, fallback: FlagValues[K], context?: OpenFeatureContext): Promise<FlagValues[K]>;',
      '}',
      '',
      '/** A typed view of an OpenFeature client (the same object). */',
      'export function typedOpenFeature(client: OpenFeatureClient): TypedOpenFeatureClient {',
      '  return client as unknown as TypedOpenFeatureClient;',
      '}',
      '',
    );
  }
  if (options.targets.includes('openfeature-web')) {
    out.push(
      '/** An OpenFeature web client, typed by this project\'s flags. */',
      'export interface TypedOpenFeatureWebClient {',
      '  getBooleanValue(key: BooleanFlagKey, fallback: boolean): boolean;',
      '  getStringValue<K extends StringFlagKey>(key: K, fallback: FlagValues[K]): FlagValues[K];',
      '  getNumberValue<K extends NumberFlagKey>(key: K, fallback: FlagValues[K]): FlagValues[K];',
      '}',
      '',
      '/** A typed view of an OpenFeature web client (the same object). */',
      'export function typedOpenFeatureWeb(client: OpenFeatureWebClient): TypedOpenFeatureWebClient {',
      '  return client as unknown as TypedOpenFeatureWebClient;',
      '}',
      '',
    );
  }
  if (options.targets.includes('openfeature-react')) {
    out.push(
      '/** OpenFeature\'s React hook for a boolean flag, typed by this project\'s flags. */',
      'export function useBooleanFlag(key: BooleanFlagKey, fallback: boolean): boolean {',
      '  return useBooleanFlagValue(key, fallback);',
      '}',
      '',
      '/** OpenFeature\'s React hook for a string flag: the value is one of that flag\'s values. */',
      'export function useStringFlag<K extends StringFlagKey>(key: K, fallback: FlagValues[K]): FlagValues[K] {',
      '  return useStringFlagValue(key, fallback) as FlagValues[K];',
      '}',
      '',
      '/** OpenFeature\'s React hook for a number flag: the value is one of that flag\'s values. */',
      'export function useNumberFlag<K extends NumberFlagKey>(key: K, fallback: FlagValues[K]): FlagValues[K] {',
      '  return useNumberFlagValue(key, fallback) as FlagValues[K];',
      '}',
      '',
    );
  }
  return out.join('\n');
}
