import { createHash } from 'node:crypto';

/**
 * DESIGN.md's bucket position computed the slow, obvious way — node:crypto and a BigInt — as the
 * independent reference flagops' own MD5 and bucketing are held against: a number in [0, 100).
 */
export function referencePosition(salt: string, value: string): number {
  const h = BigInt(`0x${createHash('md5').update(`${salt}:${value}`, 'utf8').digest('hex')}`);
  return Number(h % 100n) + Number((h / 100n) % 100n) / 100;
}
