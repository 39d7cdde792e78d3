import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { StoreUnavailable } from './store.js';

/** What a lock file holds: who holds it, and a random id that makes every lock unlike any other. */
interface Holder {
  pid: number;
  host: string;
  at: number;
  id?: string;
}

const HOST = hostname();
/** An unreadable lock younger than this may be one an older flagops is still writing. */
const UNREADABLE_GRACE_MS = 10_000;

/**
 * An exclusive lock file, so two processes never write one store at once.
 *
 * - The lock appears whole: its content (holder and a random id) is written to a file of its own
 *   first, then hard-linked to the lock path, which fails when the path exists. No one ever reads a
 *   half-written lock.
 * - Only a lock whose holder is gone is taken over: a process on this host that no longer runs. A
 *   live holder is waited for however long it takes (up to `timeoutMs`); a holder on another host
 *   (a shared volume) cannot be checked from here and is waited for too.
 * - A takeover moves the lock aside by rename and deletes it only if it is the very lock it judged
 *   (the same content, random id included: inode numbers are reused at once); otherwise it puts it
 *   back. A release deletes the lock only if it is still its own.
 */
export async function withFileLock<T>(path: string, work: () => T | Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let mine: string | undefined;
  for (;;) {
    mine = tryAcquire(path);
    if (mine !== undefined) break;
    if (takeOverIfAbandoned(path)) continue;
    if (Date.now() > deadline) throw lockedError(path);
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
  }
  try {
    return await work();
  } finally {
    if (readOrUndefined(path) === mine) rmSync(path, { force: true });
  }
}

/** Creates the lock with its content in one step: its content, or undefined when another process holds it. */
function tryAcquire(path: string): string | undefined {
  const id = randomBytes(8).toString('hex');
  const content = JSON.stringify({ pid: process.pid, host: HOST, at: Date.now(), id } satisfies Holder);
  const pending = `${path}.${process.pid}-${id}.pending`;
  const fd = openSync(pending, 'wx');
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(pending, path);
    return content;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return undefined;
    // A file system without hard links: create the lock exclusively and write it in place.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') return acquireInPlace(path, content);
    throw error;
  } finally {
    rmSync(pending, { force: true });
  }
}

function acquireInPlace(path: string, content: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return content;
}

/** Removes a lock whose holder is gone; true when the path was freed (or already free). */
function takeOverIfAbandoned(path: string): boolean {
  const judged = readOrUndefined(path);
  if (judged === undefined) return true;
  if (!isAbandoned(path, judged)) return false;
  const aside = `${path}.${process.pid}-${randomBytes(8).toString('hex')}.stale`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
  if (readOrUndefined(aside) === judged) {
    rmSync(aside, { force: true });
    sweepPending(path);
    return true;
  }
  // Between the look and the rename another process took the lock over and locked anew: put its
  // lock back where it was.
  try {
    linkSync(aside, path);
  } catch {
    // Someone locked the empty path meanwhile: that lock stands.
  } finally {
    rmSync(aside, { force: true });
  }
  return false;
}

function isAbandoned(path: string, text: string): boolean {
  const holder = parseHolder(text);
  if (!holder) {
    // Unreadable: written in place by an older flagops, and maybe still being written.
    try {
      return Date.now() - statSync(path).mtimeMs > UNREADABLE_GRACE_MS;
    } catch {
      return true;
    }
  }
  if (holder.host !== HOST) return false;
  return !isRunning(holder.pid);
}

function parseHolder(text: string): Holder | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<Holder>;
    if (typeof parsed.pid !== 'number' || !Number.isInteger(parsed.pid)) return undefined;
    return { pid: parsed.pid, host: typeof parsed.host === 'string' ? parsed.host : HOST, at: Number(parsed.at) || 0 };
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Pending lock files of processes that died between writing one and linking it. */
function sweepPending(path: string): void {
  const prefix = `${basename(path)}.`;
  for (const name of readdirSync(dirname(path))) {
    const match = name.startsWith(prefix) ? /^(\d+)-[0-9a-f]+\.(pending|stale)$/.exec(name.slice(prefix.length)) : null;
    if (match && !isRunning(Number(match[1]))) rmSync(join(dirname(path), name), { force: true });
  }
}

function lockedError(path: string): StoreUnavailable {
  let holder: Holder | undefined;
  try {
    holder = parseHolder(readFileSync(path, 'utf8'));
  } catch {
    // gone meanwhile, or unreadable
  }
  const who = holder ? `process ${holder.pid} on ${holder.host}, since ${new Date(holder.at).toISOString()}` : 'another flagops process';
  return new StoreUnavailable(
    `The file store is locked by ${who} (${path}).`,
    'Wait for it to finish. If that process is gone (another machine sharing this folder, for example), delete the lock file.',
  );
}
