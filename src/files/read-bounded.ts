import { closeSync, constants, fstatSync, openSync, readlinkSync, readSync, realpathSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';

export type BoundedRead =
  | { bytes: Buffer }
  /** Larger than the limit: not read past it. */
  | { tooLarge: number }
  /** Reached through a link whose target lies outside `within`: not opened. */
  | { outside: string }
  /** A FIFO, a device, a socket or a folder: not read. */
  | { notRegular: string }
  | { error: string };

/**
 * Reads a file that users or pull requests control, safely: only a regular file (opened without
 * blocking, checked on the open descriptor, so a FIFO cannot hang and a device cannot stream
 * forever), at most `limit` + 1 bytes whatever its size claims, and, with `within`, only when a link
 * does not lead out of that folder (a link to /proc/self/environ would echo the environment).
 */
export function readBounded(path: string, limit: number, within?: string): BoundedRead {
  if (within !== undefined) {
    let real: string;
    try {
      real = realpathSync(path);
    } catch (error) {
      return { error: (error as NodeJS.ErrnoException).code ?? 'error' };
    }
    if (real !== resolve(path) && !isInside(real, realOf(within))) return { outside: linkTarget(path) ?? real };
  }
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOCTTY ?? 0));
  } catch (error) {
    return { error: (error as NodeJS.ErrnoException).code ?? 'error' };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { notRegular: kindOf(stat) };
    if (stat.size > limit) return { tooLarge: stat.size };
    // Never past limit + 1 bytes, whatever the size said (a file may grow while it is read).
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(total === 0 ? stat.size + 1 : 64 * 1024, limit + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) return { bytes: Buffer.concat(chunks, total) };
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > limit) return { tooLarge: total };
    }
  } catch (error) {
    return { error: (error as NodeJS.ErrnoException).code ?? 'error' };
  } finally {
    closeSync(fd);
  }
}

/** What a link says it points at, as its author wrote it (resolved against its folder). */
function linkTarget(path: string): string | undefined {
  try {
    return resolve(dirname(path), readlinkSync(path));
  } catch {
    return undefined;
  }
}

function realOf(folder: string): string {
  try {
    return realpathSync(folder);
  } catch {
    return resolve(folder);
  }
}

const isInside = (path: string, folder: string) => {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

function kindOf(stat: Stats): string {
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  if (stat.isDirectory()) return 'a folder';
  return 'not a regular file';
}

/** The message for a refusal, naming the file as users see it. */
export function refusal(shown: string, read: Extract<BoundedRead, { outside: string } | { notRegular: string }>): string {
  return 'outside' in read
    ? `${shown} is a link to ${read.outside}, outside the project; flagops reads no file outside the project, so it was not read.`
    : `${shown} is ${read.notRegular}, not a regular file; it was not read.`;
}
