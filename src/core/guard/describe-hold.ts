/** One line for a person: a held rollout, what it waits for, and since when. */
export function describeHold(h: { flag: string; hold: string; guard: string; reason: string; at: string }): string {
  return `HOLD: ${h.flag}: the rollout stage from ${h.hold} waits for its guards (${h.guard}) since ${h.at}: ${h.reason}`;
}
