/**
 * The JSON Schema of guards (in flag files) and of the metrics they name (in flagops.config.yaml):
 * one set of threshold fields, so a flag's guard can override what its metric sets as default.
 */
import { RESERVED_NAMES } from './common.js';

export const METRIC_NAME_PATTERN = '^[a-z][a-z0-9_-]{0,63}$';
/** A share as a number (0.005) or a percentage ("0.5%"). */
export const SHARE_PATTERN = '^[0-9]+(\\.[0-9]+)?%$';
export const WINDOW_PATTERN = '^[1-9][0-9]{0,5}(s|m|h)$';

const shareOrNumber = (description: string) => ({
  type: ['number', 'string'],
  minimum: 0,
  pattern: SHARE_PATTERN,
  description,
});

/** What a guard compares: every field optional, the metric's defaults filling what a guard leaves out. */
export const thresholdProperties = {
  maxIncrease: shareOrNumber(
    'The largest allowed increase over the control group: for a rate a share ("0.5%" or 0.005), for a value in its unit (0.05 seconds).',
  ),
  maxRatio: {
    type: 'number',
    exclusiveMinimum: 0,
    description: 'The largest allowed ratio of the new variant\'s value to the control\'s: 1.2 allows 20% worse.',
  },
  max: shareOrNumber('The largest allowed value for the new variant, whatever the control does ("1%" for a rate).'),
  window: {
    type: 'string',
    pattern: WINDOW_PATTERN,
    description: 'How far back each query looks: a number and s, m or h (default 10m).',
  },
  minSamples: {
    type: 'integer',
    minimum: 1,
    description: 'Fewer samples than this in either group decides nothing: the stage holds (default 100).',
  },
};

const metricName = {
  type: 'string',
  pattern: METRIC_NAME_PATTERN,
  not: { enum: [...RESERVED_NAMES, 'source'] },
  description: 'A metric defined under metrics: in flagops.config.yaml.',
};

export const guardList = {
  type: 'array',
  minItems: 1,
  description: 'Guards: a metric name (with its configured thresholds) or { metric, maxIncrease | maxRatio | max, window, minSamples }.',
  items: {
    type: ['string', 'object'],
    pattern: METRIC_NAME_PATTERN,
    description: 'A metric name, or a metric with thresholds of its own.',
    required: ['metric'],
    additionalProperties: false,
    properties: { metric: metricName, ...thresholdProperties },
  },
};

export const METRIC_KINDS = ['rate', 'value'] as const;

/** metrics: in flagops.config.yaml: where to query, and each metric by name. */
export const metricsSchema = {
  type: 'object',
  description: 'Metrics guards compare, by name, and the Prometheus-compatible query API they are read from.',
  properties: {
    source: {
      type: 'object',
      description: 'The Prometheus-compatible HTTP query API (Prometheus, Thanos, Mimir, VictoriaMetrics).',
      additionalProperties: false,
      properties: {
        url: { type: 'string', pattern: '^https?://', description: 'Its base URL, e.g. http://prometheus:9090 (no credentials: see tokenEnv).' },
        urlEnv: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'Or the environment variable that holds the URL (default FLAGOPS_METRICS_URL, when url is not given).' },
        tokenEnv: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'The environment variable holding a bearer token sent with every query (never written to a file).' },
        timeoutMs: { type: 'integer', minimum: 100, maximum: 120_000, description: 'How long one query may take (default 10,000 ms).' },
      },
    },
  },
  propertyNames: { pattern: METRIC_NAME_PATTERN, not: { enum: RESERVED_NAMES } },
  additionalProperties: {
    type: 'object',
    description: 'One metric: a PromQL query with $flag, $variant, $environment and $window in it.',
    required: ['query'],
    additionalProperties: false,
    properties: {
      query: { type: 'string', minLength: 1, maxLength: 4000, description: 'PromQL giving one number for one flag, variant and environment over $window.' },
      samples: {
        type: 'string',
        minLength: 1,
        maxLength: 4000,
        description: 'PromQL giving the number of samples behind the value (default: the flag evaluations flagops SDKs count, flagops_evaluations_total).',
      },
      kind: {
        enum: [...METRIC_KINDS],
        description: 'rate: a share of samples (errors per request), compared with a test on proportions; value: a measured value (a p95 latency), compared as it is (default rate).',
      },
      description: { type: 'string', maxLength: 200, description: 'What it measures, in words for summaries ("error rate").' },
      ...thresholdProperties,
    },
  },
} as const;
