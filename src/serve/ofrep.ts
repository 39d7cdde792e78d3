import { type FlagFacts, flagMetadata } from '../core/evaluate/metadata.js';
import type { EvaluationContext, EvaluationResult } from '../core/evaluate/result.js';
import type { JsonValue } from '../core/model.js';
import type { FlagClient } from '../sdk/client.js';

/**
 * The OpenFeature Remote Evaluation Protocol's shapes (open-feature/protocol, service/openapi.yaml),
 * from flagops' evaluation results. Pure: the server (src/serve/server.ts) only moves them over HTTP.
 */
export interface OfrepSuccess {
  key: string;
  value: JsonValue;
  reason: string;
  variant?: string;
  metadata: Record<string, string | number | boolean>;
}

export interface OfrepFailure {
  key?: string;
  errorCode: string;
  errorDetails?: string;
}

export interface ContextLimits {
  /** The most nesting of objects and lists a context may have. */
  maxDepth: number;
  /** The most keys and list items, counted through the whole context. */
  maxEntries: number;
}

export class ContextError extends Error {}

/**
 * The request's `context` as flagops reads it: absent is empty; not an object, too deep or too large
 * is refused. OpenFeature's `targetingKey` is the user id unless the context names one itself.
 */
export function readContext(body: unknown, limits: ContextLimits): EvaluationContext {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new ContextError('The request body must be a JSON object: { "context": { … } }.');
  const context = (body as { context?: unknown }).context;
  if (context === undefined || context === null) return {};
  if (typeof context !== 'object' || Array.isArray(context)) throw new ContextError('"context" must be a JSON object of attributes.');
  let entries = 0;
  const walk = (value: unknown, depth: number) => {
    if (typeof value !== 'object' || value === null) return;
    if (depth > limits.maxDepth) throw new ContextError(`The context is nested deeper than ${limits.maxDepth} levels.`);
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (++entries > limits.maxEntries) throw new ContextError(`The context holds more than ${limits.maxEntries} attributes and list items.`);
      walk(child, depth + 1);
    }
  };
  walk(context, 1);
  const attributes = context as Record<string, unknown>;
  const { targetingKey } = attributes;
  if (targetingKey !== undefined && typeof targetingKey !== 'string') throw new ContextError('"targetingKey" must be a string.');
  return targetingKey === undefined || attributes.userId !== undefined ? (attributes as EvaluationContext) : { ...attributes, userId: targetingKey };
}

/**
 * One flag's answer: the success shape with flagops' metadata, or the failure shape and its HTTP
 * status (404 for an unknown flag, 400 for a flag that cannot be evaluated for this request).
 * `undefined` as the caller default means a result carries no value only when it failed.
 */
export function ofrepAnswer(
  key: string,
  result: EvaluationResult,
  facts: FlagFacts | undefined,
  revision: number,
): { status: 200; body: OfrepSuccess } | { status: 400 | 404 | 500; body: OfrepFailure } {
  if (result.errorCode !== undefined || result.value === undefined) {
    const code = result.errorCode ?? 'GENERAL';
    const status = code === 'FLAG_NOT_FOUND' ? 404 : code === 'PROVIDER_NOT_READY' ? 500 : 400;
    return { status, body: { key, errorCode: code, errorDetails: result.message ?? code } };
  }
  const metadata = flagMetadata(result, facts, revision);
  return {
    status: 200,
    body: { key, value: result.value, reason: result.reason, ...(result.variant !== undefined ? { variant: result.variant } : {}), metadata },
  };
}

/**
 * Writes OFREP answers as JSON text for one environment's client, the same text as
 * `JSON.stringify(ofrepAnswer(...).body)`, with what does not depend on the request (the key, the
 * flag's metadata, type, expiry and the revision) serialised once per revision: a bulk answer of
 * 50 flags is written from 50 cached prefixes instead of 50 objects built and walked anew.
 */
export class AnswerWriter {
  private revision = Number.NaN;
  private keys: string[] = [];
  private readonly facts = new Map<string, Facts>();

  constructor(private readonly client: Pick<FlagClient, 'evaluate' | 'describe' | 'keys' | 'revision'>) {}

  private refresh(): void {
    if (this.client.revision === this.revision) return;
    this.revision = this.client.revision;
    this.keys = this.client.keys().sort();
    this.facts.clear();
  }

  private factsOf(key: string): Facts {
    let cached = this.facts.get(key);
    if (!cached) {
      // What does not depend on the request: the metadata of a result that names no rule.
      const meta = flagMetadata({}, this.client.describe(key), this.revision);
      cached = { key: JSON.stringify(key), meta: JSON.stringify(meta).slice(1, -1), heads: new Map() };
      this.facts.set(key, cached);
    }
    return cached;
  }

  /** How many flags a bulk answer holds now. */
  size(): number {
    this.refresh();
    return this.keys.length;
  }

  /** The text of a successful answer; undefined for a failure. */
  private success(key: string, result: EvaluationResult): string | undefined {
    if (result.errorCode !== undefined || result.value === undefined) return undefined;
    const facts = this.factsOf(key);
    // Within a revision a variant always has the same value: everything up to the metadata's
    // request-dependent part is written once per variant and reason.
    const id = `${result.variant ?? ''}\0${result.reason}`;
    let head = facts.heads.get(id);
    if (head === undefined) {
      const variant = result.variant !== undefined ? `,"variant":${JSON.stringify(result.variant)}` : '';
      head = `{"key":${facts.key},"value":${JSON.stringify(result.value)},"reason":"${result.reason}"${variant},"metadata":{${facts.meta}`;
      facts.heads.set(id, head);
    }
    let tail = '';
    if (result.rule !== undefined) tail += `,"rule":${JSON.stringify(result.rule)}`;
    if (result.override) tail += ',"override":true';
    if (result.prerequisite !== undefined) tail += `,"prerequisite":${JSON.stringify(result.prerequisite)}`;
    if (result.message !== undefined) tail += `,"message":${JSON.stringify(result.message)}`;
    return `${head}${tail}}}`;
  }

  /** One flag: its HTTP status, its JSON text, and the reason (ERROR for a failure). */
  one(key: string, context: EvaluationContext): { status: number; text: string; reason: string } {
    this.refresh();
    const result = this.client.evaluate(key, context);
    const text = this.success(key, result);
    if (text !== undefined) return { status: 200, text, reason: result.reason };
    const answer = ofrepAnswer(key, result, undefined, this.revision);
    return { status: answer.status, text: JSON.stringify(answer.body), reason: 'ERROR' };
  }

  /** Every flag, sorted by key, as `{"flags":[…]}`, with how many of each reason it holds. */
  all(context: EvaluationContext): { text: string; count: number; reasons: Map<string, number> } {
    this.refresh();
    const reasons = new Map<string, number>();
    let text = '{"flags":[';
    for (let i = 0; i < this.keys.length; i++) {
      const key = this.keys[i]!;
      const result = this.client.evaluate(key, context);
      let part = this.success(key, result);
      let reason: string = result.reason;
      if (part === undefined) {
        part = JSON.stringify(ofrepAnswer(key, result, undefined, this.revision).body);
        reason = 'ERROR';
      }
      text += i === 0 ? part : `,${part}`;
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    return { text: `${text}]}`, count: this.keys.length, reasons };
  }
}

interface Facts {
  key: string;
  meta: string;
  heads: Map<string, string>;
}
