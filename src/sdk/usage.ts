import type { UsageBatch } from './source.js';

/**
 * Opt-in usage counts, kept in memory per flag and variant and handed to the source in batches.
 * Recording is two map lookups and an add; the clock is read once per flush, not per evaluation,
 * so "last evaluated" is exact to the flush interval.
 */
export class UsageRecorder {
  private counts = new Map<string, Map<string, number>>();

  record(flag: string, variant: string): void {
    let variants = this.counts.get(flag);
    if (variants === undefined) {
      variants = new Map();
      this.counts.set(flag, variants);
    }
    variants.set(variant, (variants.get(variant) ?? 0) + 1);
  }

  /** Everything counted since the last take, stamped with `now`; the counters start again at zero. */
  take(now: number): UsageBatch {
    const batch: UsageBatch = new Map();
    for (const [flag, variants] of this.counts) batch.set(flag, { variants, last: now });
    this.counts = new Map();
    return batch;
  }

  /** Puts a batch that could not be written back, so its counts go out with the next one. */
  restore(batch: UsageBatch): void {
    for (const [flag, { variants }] of batch) {
      for (const [variant, n] of variants) {
        let mine = this.counts.get(flag);
        if (!mine) this.counts.set(flag, (mine = new Map()));
        mine.set(variant, (mine.get(variant) ?? 0) + n);
      }
    }
  }
}
