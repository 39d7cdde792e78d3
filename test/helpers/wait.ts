/** Polls a condition every few milliseconds; throws when it does not hold within the time. */
export async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${condition.toString().slice(0, 120)}`);
    await new Promise((resolve) => setTimeout(resolve, 3));
  }
}

/** As until(), for a condition that needs awaiting (an HTTP request); true when it held in time, false when not. */
export async function eventually(condition: () => Promise<boolean> | boolean, timeoutMs = 5000, everyMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
