import { md5PairWords, md5PrefixedWords, md5Words, utf8 } from './md5.js';

/** Room for two digests: bucketWithPrefix may work out the next flag's bucket with this one's. */
const words = new Int32Array(8);

/** MD5 state words are little-endian; the digest is read as one big-endian 128-bit integer. */
const bigEndian = (w: number) => (((w & 0xff) << 24) | ((w & 0xff00) << 8) | ((w >>> 8) & 0xff00) | (w >>> 24)) >>> 0;

/**
 * A user's place in a flag's rollout, in hundredths of a percent (0 … 9,999): with h the MD5 of
 * `<salt>:<value>` as a 128-bit big-endian integer, (h mod 100) * 100 + (h div 100) mod 100.
 * Whole percentages thus agree with `int(md5("<flag>:<user>"), 16) % 100 < p`.
 */
export function bucketHundredths(salt: string, value: string): number {
  md5Words(`${salt}:${value}`, words);
  return hundredthsOfDigest(0);
}

/** The UTF-8 bytes of `<salt>:`, computed once per flag so that each evaluation hashes only the value. */
export const saltPrefix = (salt: string): Uint8Array => utf8(`${salt}:`);

/** The salt prefix of the flag a bulk evaluation comes to next, if the caller said (bucketNext). */
let expected: Uint8Array | undefined;
/** A bucket worked out ahead, with the inputs it is for: any later call with the same inputs takes it. */
let aheadPrefix: Uint8Array | undefined;
let aheadValue = '';
let aheadBucket = 0;

/**
 * Says whose bucket is likely wanted next: a caller evaluating many flags for one context (flagops
 * serve's bulk answer) passes the salt prefix of the next flag that buckets. The next bucketing then
 * hashes both (md5PairWords: two digests for little more than one) and keeps the second. Only a
 * speed hint: a bucket worked out ahead is used only for exactly its inputs. undefined clears it.
 */
export function bucketNext(prefix: Uint8Array | undefined): void {
  expected = prefix;
}

/** bucketHundredths with the salt already encoded (saltPrefix): the evaluation hot path. */
export function bucketWithPrefix(prefix: Uint8Array, value: string): number {
  if (prefix === aheadPrefix && value === aheadValue) {
    aheadPrefix = undefined;
    return aheadBucket;
  }
  const next = expected;
  if (next !== undefined && next !== prefix && md5PairWords(prefix, next, value, words)) {
    expected = undefined;
    aheadPrefix = next;
    aheadValue = value;
    aheadBucket = hundredthsOfDigest(4);
    return hundredthsOfDigest(0);
  }
  md5PrefixedWords(prefix, value, words);
  return hundredthsOfDigest(0);
}

/**
 * h mod 10,000 over 16-bit limbs, most significant first. Every intermediate stays below 2^31, so
 * the engine keeps to integer arithmetic, and a remainder by a constant compiles to multiplications;
 * the same on doubles would call fmod four times.
 */
function hundredthsOfDigest(from: number): number {
  let r = 0;
  for (let i = from; i < from + 4; i++) {
    const w = bigEndian(words[i]!);
    r = ((r << 16) + (w >>> 16)) % 10_000;
    r = ((r << 16) + (w & 0xffff)) % 10_000;
  }
  return (r % 100) * 100 + ((r / 100) | 0);
}

/** The position as DESIGN.md states it: a number in [0, 100) with two decimals. */
export const bucketPosition = (salt: string, value: string) => bucketHundredths(salt, value) / 100;

/** Whether a user at `hundredths` is inside a rollout of `percentage` (two decimals at most). */
export const inPercentage = (hundredths: number, percentage: number) => hundredths < Math.round(percentage * 100);

/** The first variant, in declared order, whose cumulative weight exceeds the position. */
export function pickSplit(hundredths: number, split: ReadonlyArray<readonly [string, number]>): string | undefined {
  let cumulative = 0;
  for (const [variant, weight] of split) {
    cumulative += Math.round(weight * 100);
    if (hundredths < cumulative) return variant;
  }
  return undefined;
}
