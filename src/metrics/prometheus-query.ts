import { FlagopsError } from '../errors.js';

/** The metrics source cannot be asked, or answered what is not one number: the guard holds. */
export class MetricsUnavailable extends FlagopsError {}

/** Answers larger than this are refused unread: one number never needs more. */
const MAX_ANSWER_BYTES = 1024 * 1024;

export interface QuerySource {
  /** For messages: the URL without credentials. */
  readonly label: string;
  /** One number at `time` (s), or null when the query matched no series. Throws MetricsUnavailable. */
  instant(query: string, time: number): Promise<number | null>;
}

/** `http://user:pass@host` → `http://host`, and no query string: what may be printed. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(an invalid URL)';
  }
}

/**
 * Prometheus' HTTP query API (`/api/v1/query`), as Prometheus, Thanos, Mimir, Cortex and
 * VictoriaMetrics serve it. Every answer is checked before it is believed: JSON of the documented
 * shape, one sample, a number. Anything else refuses the query, and a refused query holds.
 */
export class PrometheusQuery implements QuerySource {
  readonly label: string;

  constructor(
    private readonly url: string,
    private readonly options: { token?: string; timeoutMs?: number } = {},
  ) {
    this.label = redactUrl(url);
  }

  async instant(query: string, time: number): Promise<number | null> {
    const base = new URL(this.url);
    const auth = base.username ? `Basic ${Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString('base64')}` : undefined;
    base.username = '';
    base.password = '';
    const endpoint = `${base.toString().replace(/\/$/, '')}/api/v1/query`;
    const body = new URLSearchParams({ query, time: String(time) });
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : auth ? { authorization: auth } : {}),
        },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        redirect: 'error',
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = (error as Error).name === 'TimeoutError' ? 'TimeoutError' : (cause?.code ?? cause?.message ?? (error as Error).message);
      throw new MetricsUnavailable(`${this.label} did not answer (${why === 'TimeoutError' ? `no answer within ${this.options.timeoutMs ?? 10_000} ms` : why})`);
    }
    const text = await readBounded(response, this.label);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new MetricsUnavailable(`${this.label} answered ${response.status} with something that is not JSON (${JSON.stringify(text.slice(0, 80))})`);
    }
    return numberOf(parsed, response.status, this.label);
  }
}

async function readBounded(response: Response, label: string): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > MAX_ANSWER_BYTES) {
    await response.body?.cancel();
    throw new MetricsUnavailable(`${label} answered with ${declared} bytes; one number never needs more than ${MAX_ANSWER_BYTES}`);
  }
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      throw new MetricsUnavailable(`${label} answered with more than ${MAX_ANSWER_BYTES} bytes; one number never needs that much`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The one number in a query API answer, null for an empty vector; anything else is refused. */
export function numberOf(answer: unknown, status: number, label: string): number | null {
  const refuse = (why: string) => new MetricsUnavailable(`${label}: ${why}`);
  if (!isRecord(answer)) throw refuse('the answer is not a JSON object');
  if (answer.status !== 'success') {
    const error = typeof answer.error === 'string' ? answer.error.slice(0, 300) : `HTTP ${status}`;
    throw refuse(`the query failed: ${error}`);
  }
  const data = answer.data;
  if (!isRecord(data)) throw refuse('the answer has no data');
  const sample = (value: unknown): number | null => {
    if (!Array.isArray(value) || value.length !== 2 || typeof value[1] !== 'string') throw refuse('a sample is not [time, "value"]');
    const text = value[1];
    if (text === 'NaN') return null;
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$|^[+-]?Inf$/.test(text)) throw refuse(`a sample's value is ${JSON.stringify(text.slice(0, 40))}, not a number`);
    const n = Number(text.replace('Inf', 'Infinity'));
    return n;
  };
  if (data.resultType === 'scalar') return sample(data.result);
  if (data.resultType !== 'vector') throw refuse(`the query gave a ${String(data.resultType).slice(0, 20)}, not one number (an instant vector or a scalar)`);
  if (!Array.isArray(data.result)) throw refuse('the vector is not a list');
  if (data.result.length === 0) return null;
  if (data.result.length > 1) throw refuse(`the query gave ${data.result.length} series, not one: aggregate it (sum(...), or histogram_quantile over sum by (le))`);
  const series = data.result[0];
  if (!isRecord(series)) throw refuse('a series is not an object');
  return sample(series.value);
}

/** A template's placeholders filled, each value quoted safely for a PromQL label matcher. */
export function fillTemplate(template: string, values: { flag: string; variant: string; environment: string; window: string }): string {
  const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return template
    .replace(/\$window\b/g, values.window)
    .replace(/\$flag\b/g, escape(values.flag))
    .replace(/\$variant\b/g, escape(values.variant))
    .replace(/\$environment\b/g, escape(values.environment));
}
