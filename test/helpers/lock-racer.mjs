// A process that increments a counter file `times` times, each under the file store's lock; or,
// with `crash`, one that takes the lock and dies holding it (SIGKILL).
// Usage: node lock-racer.mjs <dist/store/file-lock.js> <lock path> <counter path> <times | crash>
import { readFileSync, writeFileSync } from 'node:fs';
import { setImmediate } from 'node:timers';

const [lockModule, lock, counter, times] = process.argv.slice(2);
const { withFileLock } = await import(lockModule);
if (times === 'crash') {
  await withFileLock(lock, () => process.kill(process.pid, 'SIGKILL'), 60_000);
}
for (let i = 0; i < Number(times); i++) {
  await withFileLock(lock, async () => {
    const n = Number(readFileSync(counter, 'utf8'));
    // Yield between the read and the write, so a second holder would interleave here.
    await new Promise((resolve) => setImmediate(resolve));
    writeFileSync(counter, String(n + 1));
  }, 60_000);
}
