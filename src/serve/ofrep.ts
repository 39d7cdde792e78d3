import { createHash } from 'node:crypto';
import { bucketNext } from '../core/serving/evaluate/bucketing.js';
import { type FlagFacts, flagMetadata } from '../core/serving/evaluate/metadata.js';
import { type Clock, type PreparedFlag, withPrerequisiteMemo } from '../core/serving/evaluate/prepare.js';
import type { EvaluationContext, EvaluationResult, Resolution } from '../core/serving/evaluate/result.js';
import type { JsonValue } from '../core/definition/model.js';
import type { FlagClient } from '../sdk/client.js';
import { ByteSlab } from './byte-slab.js';

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
 * is refused. OpenFeature's `targetingKey` is the user id unless the context names one itself (it is
 * set on the parsed body, which belongs to this request).
 */
export function readContext(body: unknown, limits: ContextLimits): EvaluationContext {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new ContextError('The request body must be a JSON object: { "context": { … } }.');
  const context = (body as { context?: unknown }).context;
  if (context === undefined || context === null) return {};
  if (typeof context !== 'object' || Array.isArray(context)) throw new ContextError('"context" must be a JSON object of attributes.');
  entriesOf(context, 1, limits, 0);
  const attributes = context as Record<string, unknown>;
  const { targetingKey } = attributes;
  if (targetingKey !== undefined && typeof targetingKey !== 'string') throw new ContextError('"targetingKey" must be a string.');
  // The body was parsed for this request alone, so the id is added to it rather than to a copy: V8 came
  // to allocate such per-request copies straight into the old generation (pretenured), and a full
  // collection every 130–250 ms under load then put 5–6 ms pauses on the latency tail.
  if (targetingKey !== undefined && attributes.userId === undefined) attributes.userId = targetingKey;
  return attributes as EvaluationContext;
}

/** Counts the keys and list items under `value` on top of `used`, refusing a context too deep or too large. */
function entriesOf(value: object, depth: number, limits: ContextLimits, used: number): number {
  if (depth > limits.maxDepth) throw new ContextError(`The context is nested deeper than ${limits.maxDepth} levels.`);
  const children = Array.isArray(value) ? value : Object.values(value);
  for (let i = 0; i < children.length; i++) {
    if (++used > limits.maxEntries) throw new ContextError(`The context holds more than ${limits.maxEntries} attributes and list items.`);
    const child: unknown = children[i];
    if (typeof child === 'object' && child !== null) used = entriesOf(child, depth + 1, limits, used);
  }
  return used;
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

/** An answer as sent: its status and JSON bytes, its reason, a 64-bit digest of the bytes for the bulk ETag, and how often it was sent. */
export interface Written {
  status: number;
  body: Buffer;
  reason: string;
  tag: [number, number];
  served: number;
  /** The variant it serves (absent for failures): evaluations by variant are what a guard compares. */
  variant?: string;
}

const OPEN = Buffer.from('{"flags":[');
const CLOSE = Buffer.from(']}');
const COMMA = 0x2c;

/**
 * One flag of a snapshot as the writer answers it: its prepared form, and each outcome's bytes found
 * by the outcome itself (a flag has a handful, so a scan of them beats hashing the object).
 */
class FlagAnswers {
  private readonly outcomes: Resolution[] = [];
  private readonly answers: Written[] = [];
  /** Past a few outcomes (a flag with many rules), a map. */
  private map?: Map<Resolution, Written>;

  constructor(
    readonly key: string,
    readonly flag: PreparedFlag | undefined,
  ) {}

  find(outcome: Resolution): Written | undefined {
    if (this.map !== undefined) return this.map.get(outcome);
    const { outcomes } = this;
    for (let i = 0; i < outcomes.length; i++) if (outcomes[i] === outcome) return this.answers[i];
    return undefined;
  }

  add(outcome: Resolution, written: Written): void {
    this.outcomes.push(outcome);
    this.answers.push(written);
    if (this.map !== undefined) this.map.set(outcome, written);
    else if (this.outcomes.length > 8) this.map = new Map(this.outcomes.map((o, i) => [o, this.answers[i]!]));
  }

  written(): readonly Written[] {
    return this.answers;
  }
}

/**
 * Writes OFREP answers as JSON bytes for one environment's client, the same JSON as
 * `JSON.stringify(ofrepAnswer(...).body)`. A prepared flag answers with one frozen Resolution per
 * outcome, so each outcome's bytes (and their digest) are written once per snapshot and found by
 * that object: an evaluation then costs the flag's rules and bucketing, a bulk answer of 50 flags
 * is 50 cached byte runs copied into one buffer (no string to join, measure and encode per
 * request), and its ETag is combined from their digests instead of hashing the answer.
 */
export class AnswerWriter {
  private generation = Number.NaN;
  private revision = Number.NaN;
  private stale = false;
  /** The snapshot's flags, sorted by key (a bulk answer's order), and the same by key. */
  private flags: FlagAnswers[] = [];
  /** For each flag, the salt prefix of the next one after it that may bucket (see bucketNext). */
  private ahead: Array<Uint8Array | undefined> = [];
  private readonly byKey = new Map<string, FlagAnswers>();
  /** Answers served by reason, from snapshots gone by and from failures (the current snapshot's are on its answers). */
  private readonly tallied = new Map<string, number>();
  /** Answers served by flag and variant from snapshots gone by. */
  private readonly talliedVariants = new Map<string, { flag: string; variant: string; n: number }>();
  /** For polling clients: the tag this snapshot gave a context (its JSON), and the instants between which it holds. */
  private readonly tags = new Map<string, { etag: string; from: number; until: number }>();
  private stageTimes: number[] = [];
  /** The client's clock, for a single flag (a bulk answer reads it once). */
  private readonly clock: Clock = () => this.client.now();

  constructor(
    private readonly client: Pick<FlagClient, 'evaluate' | 'prepared' | 'describe' | 'keys' | 'revision' | 'snapshotGeneration' | 'servingStale' | 'now' | 'stageTimes'>,
  ) {}

  private refresh(): void {
    const stale = this.client.servingStale;
    // By snapshot, not revision: a store emptied and synced again can repeat a revision with other flags.
    if (this.client.snapshotGeneration === this.generation && stale === this.stale) return;
    this.generation = this.client.snapshotGeneration;
    this.revision = this.client.revision;
    this.stale = stale;
    for (const flag of this.flags) {
      for (const written of flag.written()) {
        this.tally(written.reason, written.served);
        if (written.variant !== undefined && written.served > 0) this.tallyVariant(flag.key, written.variant, written.served);
      }
    }
    this.flags = this.client.keys().sort().map((key) => new FlagAnswers(key, this.client.prepared(key)));
    this.byKey.clear();
    for (const flag of this.flags) this.byKey.set(flag.key, flag);
    this.ahead = new Array<Uint8Array | undefined>(this.flags.length);
    let next: Uint8Array | undefined;
    for (let i = this.flags.length - 1; i >= 0; i--) {
      this.ahead[i] = next;
      next = this.flags[i]!.flag?.bucketPrefix ?? next;
    }
    this.tags.clear();
    this.stageTimes = this.client.stageTimes();
  }

  /**
   * The tag a bulk answer for this context has now, if this snapshot gave it before and no rollout
   * stage has begun or ended since: a poll that sends it back is answered 304 without evaluating.
   * `context` is the context's JSON as the request gave it.
   */
  knownTag(context: string): string | undefined {
    this.refresh();
    const known = this.tags.get(context);
    if (known === undefined) return undefined;
    const now = this.client.now();
    return now >= known.from && now < known.until ? known.etag : undefined;
  }

  /** Keeps a bulk answer's tag for its context (at most 10,000 contexts of up to 1 KiB, the oldest dropped first). */
  remember(context: string, answer: BulkAnswer): void {
    this.refresh();
    if (context.length > 1024 || answer.generation !== this.generation) return;
    if (this.tags.size >= 10_000 && !this.tags.has(context)) this.tags.delete(this.tags.keys().next().value!);
    // The answer holds from the last stage boundary at or before its instant to the next one after it.
    const times = this.stageTimes;
    let next = 0;
    while (next < times.length && times[next]! <= answer.at) next++;
    const from = next > 0 ? times[next - 1]! : -Infinity;
    this.tags.set(context, { etag: answer.etag, from, until: next < times.length ? times[next]! : Infinity });
  }

  private tallyVariant(flag: string, variant: string, n: number): void {
    const key = `${flag}\0${variant}`;
    const t = this.talliedVariants.get(key);
    if (t) t.n += n;
    else this.talliedVariants.set(key, { flag, variant, n });
  }

  /** Evaluations served by flag and variant (what a guard compares), totals since the server started. */
  servedByVariant(): Array<{ flag: string; variant: string; n: number }> {
    const totals = new Map([...this.talliedVariants].map(([key, t]) => [key, { ...t }]));
    for (const flag of this.flags) {
      for (const { variant, served } of flag.written()) {
        if (variant === undefined || served === 0) continue;
        const key = `${flag.key}\0${variant}`;
        const t = totals.get(key);
        if (t) t.n += served;
        else totals.set(key, { flag: flag.key, variant, n: served });
      }
    }
    return [...totals.values()];
  }

  private tally(reason: string, n: number): void {
    if (n > 0) this.tallied.set(reason, (this.tallied.get(reason) ?? 0) + n);
  }

  /**
   * How many answers of each reason this writer has served (an evaluation metric): each cached
   * answer counts its own, so a request counts with one increment per flag and no map.
   */
  served(): Map<string, number> {
    const counts = new Map(this.tallied);
    for (const flag of this.flags) {
      for (const { reason, served } of flag.written()) if (served > 0) counts.set(reason, (counts.get(reason) ?? 0) + served);
    }
    return counts;
  }

  /** How many flags a bulk answer holds now. */
  size(): number {
    this.refresh();
    return this.flags.length;
  }

  private answer(flag: FlagAnswers, context: EvaluationContext, now: Clock): Written {
    const prepared = flag.flag;
    if (prepared !== undefined) {
      let r: Resolution | undefined;
      try {
        r = prepared.evaluate(context, now);
      } catch {
        // A context that makes a rule throw: evaluate() below says so, as every reader does.
      }
      if (r !== undefined) {
        let written = flag.find(r);
        if (written === undefined) {
          // What evaluate() returns for this outcome, as every reader reports it.
          const result: EvaluationResult = { ...r, reason: this.stale ? 'STALE' : r.reason };
          written = writtenOf(200, ofrepAnswer(flag.key, result, this.client.describe(flag.key), this.revision).body, result.reason);
          written.variant = r.variant;
          flag.add(r, written);
        }
        written.served++;
        return written;
      }
    }
    return this.failure(flag.key, context);
  }

  /** An unknown or unreadable flag, or a context that threw: written each time, with its message. */
  private failure(key: string, context: EvaluationContext): Written {
    const result = this.client.evaluate(key, context);
    const answer = ofrepAnswer(key, result, this.client.describe(key), this.revision);
    const written = writtenOf(answer.status, answer.body, answer.status === 200 ? result.reason : 'ERROR');
    this.tally(written.reason, 1);
    return written;
  }

  /** One flag: its HTTP status and JSON bytes. */
  one(key: string, context: EvaluationContext): Written {
    this.refresh();
    const flag = this.byKey.get(key);
    return flag === undefined ? this.failure(key, context) : this.answer(flag, context, this.clock);
  }

  /**
   * Every flag, sorted by key: evaluated, with a tag that changes exactly when the answer does (the
   * same on every server with the same flags); the bytes are only put together if asked for, which
   * a poll whose If-None-Match holds the tag never does.
   */
  all(context: EvaluationContext): BulkAnswer {
    this.refresh();
    const { flags } = this;
    const parts = new Array<Written>(flags.length);
    // One instant for the whole answer: no rollout stage begins halfway through it, and the clock is read once, not per flag.
    const at = this.client.now();
    const now = () => at;
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193;
    const { ahead } = this;
    try {
      // One memo of prerequisite results for the whole answer: a chain of 5,000 prerequisites is evaluated once, not once per flag.
      withPrerequisiteMemo(() => {
        for (let i = 0; i < flags.length; i++) {
          // The flag after this one that buckets is hashed alongside this one's bucketing, if it has one.
          bucketNext(ahead[i]);
          const part = this.answer(flags[i]!, context, now);
          parts[i] = part;
          h1 = mix(h1, part.tag[0]);
          h2 = mix(h2, part.tag[1]);
        }
      });
    } finally {
      bucketNext(undefined);
    }
    return new BulkAnswer(`"${flags.length.toString(36)}-${hex32(h1)}${hex32(h2)}"`, parts, at, this.generation);
  }
}

const slab = new ByteSlab();

/** A bulk evaluation: its ETag, the instant and snapshot it was evaluated at, and `{"flags":[…]}` as bytes on demand. */
export class BulkAnswer {
  constructor(
    readonly etag: string,
    private readonly parts: readonly Written[],
    readonly at: number,
    readonly generation: number,
  ) {}

  body(): Buffer {
    const { parts } = this;
    let bytes = OPEN.length + CLOSE.length + Math.max(0, parts.length - 1);
    for (let i = 0; i < parts.length; i++) bytes += parts[i]!.body.length;
    const body = slab.take(bytes);
    // Uint8Array's own set(): Buffer's copy() checks its arguments in JavaScript first, 50 times.
    body.set(OPEN, 0);
    let at = OPEN.length;
    for (let i = 0; i < parts.length; i++) {
      if (i > 0) body[at++] = COMMA;
      const part = parts[i]!.body;
      body.set(part, at);
      at += part.length;
    }
    body.set(CLOSE, at);
    return body;
  }
}

function writtenOf(status: number, answer: OfrepSuccess | OfrepFailure, reason: string): Written {
  const body = Buffer.from(JSON.stringify(answer));
  const digest = createHash('sha256').update(body).digest();
  return { status, body, reason, tag: [digest.readUInt32LE(0), digest.readUInt32LE(4)], served: 0 };
}

const HEX_BYTES = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A 32-bit word as 8 hex digits: by bytes from a table, as toString(16) of a word above 2^31 divides doubles (fmod). */
const hex32 = (n: number) => HEX_BYTES[n >>> 24]! + HEX_BYTES[(n >>> 16) & 255]! + HEX_BYTES[(n >>> 8) & 255]! + HEX_BYTES[n & 255]!;

/** One step of an order-dependent 32-bit combination (MurmurHash3's block mix); each lane takes its own digest words. */
function mix(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  const x = h ^ k;
  return (Math.imul((x << 13) | (x >>> 19), 5) + 0xe6546b64) | 0;
}
