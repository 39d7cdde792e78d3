import type { StoredState } from '../core/serving/evaluate/snapshot.js';

/** What a source tells the client: a consistent state was read, or the store is away. */
export interface SourceSink {
  state(state: StoredState, changed?: readonly string[] | null): void;
  down(error: Error): void;
}

/** Per flag and variant: how many evaluations, and the last time (ms) one happened. */
export type UsageBatch = Map<string, { variants: Map<string, number>; last: number }>;

/** Where a client reads flags from: Redis (pub/sub + polling) or the file store (watching). */
export interface FlagSource {
  /** Where, for messages: never a password. */
  readonly label: string;
  start(sink: SourceSink): void;
  /** Reads now (coalesced with any read in flight). */
  reload(): void;
  writeUsage?(batch: UsageBatch): Promise<void>;
  close(): Promise<void>;
}

/** A batch as the fields of the `_usage` hash (see parseUsage): counts to add, last times to keep the latest of. */
export function usageFields(batch: UsageBatch): Map<string, number> {
  const fields = new Map<string, number>();
  for (const [flag, { variants, last }] of batch) {
    for (const [variant, count] of variants) fields.set(`count:${flag}:${variant}`, count);
    fields.set(`last:${flag}`, last);
  }
  return fields;
}
