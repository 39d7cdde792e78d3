import { type Diagnostic, MAX_DIAGNOSTICS_PER_FILE, type Severity } from '../shared/diagnostic.js';
import { parseYaml } from './load/parse-yaml.js';
import type { SourceMap } from './load/source-map.js';
import { FLAG_TYPES, type FlagType, type GuardSpec, type KeyStyle } from './model.js';
import type { METRIC_KINDS } from './schema/guard-schema.js';

export type MetricKind = (typeof METRIC_KINDS)[number];
export type GuardThresholds = Omit<GuardSpec, 'metric'>;
import { type CodegenTarget, type IgnoreEntry, type PresetName, type ScanLanguage, SCANNED_EXTENSIONS } from './config-choices.js';
import { configSchema } from './schema/config-schema.js';
import { type SchemaCheck, schemaCheck } from './validate/ajv.js';
import { schemaDiagnostics } from './validate/schema-errors.js';

export interface TypePolicy {
  requireExpires: boolean;
  maxLifetimeDays: number | null;
  staleAfterDays: number | null;
}

export interface EnvironmentConfig {
  description?: string;
  prefix?: string;
  redis?: { url?: string; urlEnv?: string };
  file?: string;
}

export interface Config {
  paths: { flags: string; tests: string; segments: string };
  environments: Record<string, EnvironmentConfig>;
  types: Record<FlagType, TypePolicy>;
  limits: { maxFileBytes: number };
  sync: { simpleKeys: boolean; maxDeleteShare: number };
  keys: { style: KeyStyle };
  scan: ScanConfig;
  /** Set when the configuration has a codegen section: then `check` holds the files to it. */
  codegen?: CodegenConfig;
  cleanup: CleanupConfig;
  diff: { blastRadiusThreshold: number };
  serve: ServeConfig;
  metrics: MetricsConfig;
}

export interface MetricDefinition extends GuardThresholds {
  /** PromQL with $flag, $variant, $environment and $window. */
  query: string;
  /** PromQL counting the samples behind `query` (default: flagops SDK evaluations). */
  samples?: string;
  kind: MetricKind;
  description?: string;
}

export interface MetricsConfig {
  source?: { url?: string; urlEnv?: string; tokenEnv?: string; timeoutMs?: number };
  /** Metric name → definition. */
  definitions: Record<string, MetricDefinition>;
}

export interface ServeConfig {
  /** Per environment, the browser origins that may call it. */
  cors: Record<string, string[]>;
  limits: { bodyBytes: number; contextDepth: number; contextEntries: number; bulkFlags: number; headersTimeoutMs: number; requestTimeoutMs: number };
}

export interface CleanupConfig {
  /** The environment whose served value code keeps when a flag is removed. */
  environment: string;
  /**
   * The command that must pass after cleanup (run in the project root), or null for none;
   * undefined: the project's tsc --noEmit when it has a tsconfig.json.
   */
  check?: string | null;
}

export interface CodegenConfig {
  /** The TypeScript module, relative to the project root. */
  out: string;
  /** The OpenFeature CLI flag manifest, or null for none. */
  manifest: string | null;
  deprecateBeforeDays: number;
  targets: CodegenTarget[];
  /** Where the generated module imports the flagops SDK's types from. */
  sdk: string;
}

export const defaultCodegen = (): CodegenConfig => ({
  out: 'src/flags.gen.ts',
  manifest: 'flags.json',
  deprecateBeforeDays: 7,
  targets: ['flagops'],
  sdk: '@flagops/sdk',
});

export interface ScanConfig {
  include: string[];
  exclude: string[];
  gitignore: boolean;
  /** Only files in these languages; undefined: every language the scanner reads. */
  languages?: ScanLanguage[];
  maxFileBytes: number;
  defaultPatterns: boolean;
  /** The SDKs whose reference forms count; undefined: DEFAULT_PRESETS. */
  presets?: PresetName[];
  calls: { name: string; argument?: number; strict?: boolean }[];
  jsx: { component: string; attribute: string; strict?: boolean }[];
  hooks: string[];
  maps: string[];
  dynamicReferences: Severity;
  unusedAfterDays: number;
  expiringWithinDays: number;
  ignore: IgnoreEntry[];
}

export const CONFIG_FILE = 'flagops.config.yaml';
/** The names a configuration may have, in one folder (both at once is an error). */
export const CONFIG_FILES = [CONFIG_FILE, 'flagops.config.yml'] as const;

export function defaultConfig(): Config {
  return {
    paths: { flags: 'flags', tests: 'flag-tests', segments: 'segments' },
    environments: { staging: {}, production: {} },
    types: {
      release: { requireExpires: true, maxLifetimeDays: 40, staleAfterDays: 14 },
      experiment: { requireExpires: true, maxLifetimeDays: 40, staleAfterDays: 14 },
      ops: { requireExpires: false, maxLifetimeDays: null, staleAfterDays: 7 },
      permission: { requireExpires: false, maxLifetimeDays: null, staleAfterDays: null },
      'kill-switch': { requireExpires: false, maxLifetimeDays: null, staleAfterDays: null },
    },
    limits: { maxFileBytes: 1024 * 1024 },
    sync: { simpleKeys: false, maxDeleteShare: 0.25 },
    keys: { style: 'any' },
    cleanup: { environment: 'production' },
    diff: { blastRadiusThreshold: 50 },
    metrics: { definitions: {} },
    serve: {
      cors: {},
      limits: { bodyBytes: 64 * 1024, contextDepth: 8, contextEntries: 1000, bulkFlags: 5000, headersTimeoutMs: 5000, requestTimeoutMs: 10_000 },
    },
    scan: {
      include: [`**/*.{${SCANNED_EXTENSIONS.join(',')}}`],
      exclude: [],
      gitignore: true,
      maxFileBytes: 2 * 1024 * 1024,
      defaultPatterns: true,
      calls: [],
      jsx: [],
      hooks: [],
      maps: [],
      dynamicReferences: 'info',
      unusedAfterDays: 14,
      expiringWithinDays: 7,
      ignore: [],
    },
  };
}

let checkConfig: SchemaCheck | undefined;

/** A Redis URL with a password in flagops.config.yaml puts the password in git: warn, never echo it. */
function passwordsInGit(file: string, config: Config, sourceMap: SourceMap): Diagnostic[] {
  return Object.entries(config.environments).flatMap(([name, env]) => {
    const url = env.redis?.url;
    if (!url || !/^rediss?:\/\/[^/@]*:[^/@]+@/.test(url)) return [];
    return [
      {
        severity: 'warning' as const,
        code: 'config-secret',
        file,
        ...sourceMap.locate(['environments', name, 'redis', 'url']),
        message: `The Redis URL of environment "${name}" holds a password, and this file is committed to git.`,
        hint: `Rotate that password, put the URL in a CI secret and name its variable here: redis: { urlEnv: FLAGOPS_REDIS_URL_${name.toUpperCase().replace(/-/g, '_')} }.`,
      },
    ];
  });
}

/** The Redis key prefix of an environment: its own, or flagops:<name>. */
export const prefixOf = (config: Config, environment: string) => config.environments[environment]?.prefix ?? `flagops:${environment}`;

/**
 * Two environments must never write one store: the same prefix (or file), or a prefix inside
 * another's (`flagops:prod:eu` inside `flagops:prod`: the one's keys and its sync user's rights,
 * `~flagops:prod:*`, cover the other's).
 */
/** serve.cors names environments: one the configuration does not have would allow nothing, silently. */
function corsEnvironments(file: string, config: Config, sourceMap: SourceMap): Diagnostic[] {
  const names = Object.keys(config.environments);
  return Object.keys(config.serve.cors)
    .filter((name) => !names.includes(name))
    .map((name) => ({
      severity: 'error',
      code: 'serve-unknown-environment',
      file,
      ...sourceMap.locate(['serve', 'cors', name], 'key'),
      message: `serve.cors names environment "${name}", which is not under environments.`,
      hint: `Use one of ${names.join(', ')}, or declare "${name}" under environments.`,
    }));
}

function environmentsApart(file: string, config: Config, sourceMap: SourceMap): Diagnostic[] {
  const names = Object.keys(config.environments);
  const out: Diagnostic[] = [];
  const at = (name: string, field: 'prefix' | 'file') =>
    sourceMap.locate(config.environments[name]?.[field] !== undefined ? ['environments', name, field] : ['environments', name], config.environments[name]?.[field] !== undefined ? 'value' : 'key');
  const storeFile = (name: string) => (config.environments[name]?.file ?? `.flagops/store/${name}.json`).replace(/^\.\//, '');
  for (let j = 1; j < names.length; j++) {
    for (let i = 0; i < j; i++) {
      const [a, b] = [names[i]!, names[j]!];
      const [pa, pb] = [prefixOf(config, a), prefixOf(config, b)];
      // Point at the environment that set the clashing value itself (the later one when both did).
      const own = (field: 'prefix' | 'file') => (config.environments[b]?.[field] === undefined && config.environments[a]?.[field] !== undefined ? a : b);
      const clash = (message: string, field: 'prefix' | 'file', blame = own(field)) =>
        out.push({
          severity: 'error',
          code: 'environments-overlap',
          file,
          ...at(blame, field),
          message,
          hint: `Give each environment a prefix of its own that is not inside another's, e.g. prefix: "flagops:${b}".`,
        });
      if (pa === pb) clash(`Environments "${a}" and "${b}" both use the Redis prefix "${pa}": a sync of one would overwrite the other's flags.`, 'prefix');
      else if (pb.startsWith(`${pa}:`) || pa.startsWith(`${pb}:`)) {
        const [outer, inner] = pb.startsWith(`${pa}:`) ? [a, b] : [b, a];
        clash(
          `The prefix of "${inner}" (${prefixOf(config, inner)}) lies inside the prefix of "${outer}" (${prefixOf(config, outer)}): "${outer}"'s keys and its users' rights (~${prefixOf(config, outer)}:*) would cover "${inner}"'s.`,
          'prefix',
          inner,
        );
      }
      if (storeFile(a) === storeFile(b)) clash(`Environments "${a}" and "${b}" both use the file store ${storeFile(a)}: a sync of one would overwrite the other's flags.`, 'file');
    }
  }
  return out;
}

/** flagops.config.yaml text → config merged over the defaults. Never throws. */
export function parseConfig(file: string, text: string): { config: Config; diagnostics: Diagnostic[] } {
  const parsed = parseYaml(file, text);
  const config = defaultConfig();
  if (parsed.value === undefined || parsed.value === null) return { config, diagnostics: parsed.diagnostics };
  checkConfig ??= schemaCheck('config', configSchema);
  const errors = checkConfig(parsed.value);
  if (errors.length > 0) {
    return {
      config,
      diagnostics: [
        ...parsed.diagnostics,
        ...schemaDiagnostics(errors, { file, sourceMap: parsed.sourceMap, rootName: 'the configuration' }, MAX_DIAGNOSTICS_PER_FILE - parsed.diagnostics.length),
      ],
    };
  }
  const raw = parsed.value as Partial<{
    paths: Partial<Config['paths']>;
    environments: Config['environments'];
    types: Partial<Record<FlagType, Partial<TypePolicy>>>;
    limits: Partial<Config['limits']>;
    sync: Partial<Config['sync']>;
    keys: Partial<Config['keys']>;
    scan: Partial<Config['scan']>;
    codegen: Partial<CodegenConfig> | null;
    cleanup: Partial<CleanupConfig>;
    diff: Partial<Config['diff']>;
    serve: { cors?: ServeConfig['cors']; limits?: Partial<ServeConfig['limits']> };
    metrics: Record<string, unknown>;
  }>;
  if (raw.paths) config.paths = { ...config.paths, ...raw.paths };
  if (raw.environments) config.environments = raw.environments;
  for (const type of FLAG_TYPES) {
    const policy = raw.types?.[type];
    if (policy) config.types[type] = { ...config.types[type], ...policy };
  }
  if (raw.limits) config.limits = { ...config.limits, ...raw.limits };
  if (raw.sync) config.sync = { ...config.sync, ...raw.sync };
  if (raw.keys) config.keys = { ...config.keys, ...raw.keys };
  if (raw.scan) config.scan = { ...config.scan, ...raw.scan };
  if (raw.codegen !== undefined) config.codegen = { ...defaultCodegen(), ...raw.codegen };
  if (raw.cleanup) config.cleanup = { ...config.cleanup, ...raw.cleanup };
  if (raw.diff) config.diff = { ...config.diff, ...raw.diff };
  if (raw.metrics) {
    const { source, ...definitions } = raw.metrics as { source?: MetricsConfig['source'] } & Record<string, Omit<MetricDefinition, 'kind'> & { kind?: MetricKind }>;
    config.metrics = {
      ...(source ? { source } : {}),
      definitions: Object.fromEntries(Object.entries(definitions).map(([name, d]) => [name, { ...d, kind: d.kind ?? 'rate' }])),
    };
  }
  if (raw.serve) config.serve = { cors: raw.serve.cors ?? {}, limits: { ...config.serve.limits, ...raw.serve.limits } };
  return {
    config,
    diagnostics: [
      ...parsed.diagnostics,
      ...passwordsInGit(file, config, parsed.sourceMap),
      ...environmentsApart(file, config, parsed.sourceMap),
      ...corsEnvironments(file, config, parsed.sourceMap),
    ],
  };
}
