import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { StoreUnavailable } from './store.js';

const STALE_AFTER_MS = 60_000;

/**
 * An exclusive lock file (O_EXCL), so two processes never write one store at once. A lock left by a
 * process that died (no such pid, or older than a minute) is taken over.
 */
export async function withFileLock<T>(path: string, work: () => T | Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, at: Date.now() }));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (isStale(path)) {
        rmSync(path, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new StoreUnavailable(`The file store is locked by another flagops process (${path}).`, 'Wait for it to finish, or delete the lock file if no flagops process runs.');
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(path, { force: true });
  }
}

function isStale(path: string): boolean {
  try {
    const { pid, at } = JSON.parse(readFileSync(path, 'utf8')) as { pid: number; at: number };
    if (Date.now() - at > STALE_AFTER_MS) return true;
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // ESRCH: the holder is gone; a half-written or unreadable lock is as good as gone.
    return (error as NodeJS.ErrnoException).code !== 'EPERM';
  }
}
