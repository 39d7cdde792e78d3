import { statSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { setTimeout as sleep, setImmediate as yieldToEvents } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { ReferencePatterns } from '../core/lifecycle/scan/patterns/patterns.js';
import { analyseSource, type SourceOutcome } from './facts/analyse-source.js';
import { prepareLanguages } from './facts/languages.js';

export interface AnalyseOptions {
  patterns: ReferencePatterns;
  maxFileBytes: number;
  /** Worker threads besides the main thread: undefined picks by size and idle cores, 0 parses on this thread only. */
  workers?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Below this many bytes of source, a worker (which loads TypeScript, about half a second) costs
 * more than it saves.
 */
const WORKERS_FROM_BYTES = 16 * 1024 * 1024;
/** A batch is at most this many files or bytes: small enough that the threads finish together. */
const BATCH_FILES = 64;
const BATCH_BYTES = 512 * 1024;
/** How long the idle cores are sampled before deciding. */
const SAMPLE_MS = 100;

/**
 * Parses and analyses every file: on the main thread, and on worker threads beside it when the
 * code base is large enough to pay for them and the machine has idle cores to run them.
 */
export async function analyseAll(files: readonly [path: string, shown: string][], options: AnalyseOptions): Promise<SourceOutcome[]> {
  await prepareLanguages(files.map(([, shown]) => shown));
  const oneThread = () =>
    files.map(([path, shown], i) => {
      const outcome = analyseSource(path, shown, options.patterns, options.maxFileBytes);
      options.onProgress?.(i + 1, files.length);
      return outcome;
    });
  // Sizes are only needed to decide on workers and to batch for them.
  if (options.workers === 0 || files.length < BATCH_FILES) return oneThread();
  const sized = files.map(([path, shown], index) => ({ path, shown, index, bytes: sizeOf(path) }));
  const workers = options.workers ?? (await automaticWorkers(sized.reduce((sum, f) => sum + f.bytes, 0)));
  return workers > 0 ? inParallel(sized, workers, options) : oneThread();
}

/**
 * One worker per core that is idle now, less the main thread's own: on a machine where another
 * job keeps the cores busy, workers only add their start-up and the copying of results.
 */
async function automaticWorkers(bytes: number): Promise<number> {
  if (bytes < WORKERS_FROM_BYTES) return 0;
  const idle = await idleCores();
  return Math.max(0, Math.min(Math.floor(idle + 0.25), availableParallelism(), 8) - 1);
}

async function idleCores(): Promise<number> {
  const sample = () =>
    cpus().reduce((acc, c) => ({ idle: acc.idle + c.times.idle, total: acc.total + Object.values(c.times).reduce((a, b) => a + b, 0) }), {
      idle: 0,
      total: 0,
    });
  const before = sample();
  await sleep(SAMPLE_MS);
  const after = sample();
  const total = after.total - before.total;
  if (total <= 0) return 1;
  return ((after.idle - before.idle) / total) * cpus().length;
}

interface Sized {
  path: string;
  shown: string;
  index: number;
  bytes: number;
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    // Unreadable files are reported by the analysis.
    return 0;
  }
}

/** Batches, largest files first, so that no thread is left with one big file at the end. */
function batches(files: readonly Sized[]): Sized[][] {
  const out: Sized[][] = [];
  let current: Sized[] = [];
  let bytes = 0;
  for (const file of [...files].sort((a, b) => b.bytes - a.bytes)) {
    if (current.length > 0 && (current.length >= BATCH_FILES || bytes + file.bytes > BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(file);
    bytes += file.bytes;
  }
  if (current.length > 0) out.push(current);
  return out;
}

async function inParallel(files: readonly Sized[], count: number, options: AnalyseOptions): Promise<SourceOutcome[]> {
  const queue = batches(files);
  const results: SourceOutcome[] = new Array<SourceOutcome>(files.length);
  let done = 0;
  const store = (batch: readonly Sized[], outcomes: readonly SourceOutcome[]) => {
    batch.forEach((file, i) => (results[file.index] = outcomes[i]!));
    done += batch.length;
    options.onProgress?.(done, files.length);
  };
  const pool: Worker[] = [];
  const threads = Array.from({ length: count }, () => {
    // From dist/scan/, or from the CLI's bundle in dist/cli/: the worker is dist/scan/analyse-worker.js either way.
    const worker = new Worker(new URL('../scan/analyse-worker.js', import.meta.url), {
      workerData: { patterns: options.patterns, maxFileBytes: options.maxFileBytes },
    });
    pool.push(worker);
    return new Promise<void>((resolve, reject) => {
      worker.on('error', reject);
      const feed = () => {
        const batch = queue.shift();
        if (!batch) return resolve();
        worker.once('message', (outcomes: SourceOutcome[]) => {
          store(batch, outcomes);
          feed();
        });
        worker.postMessage(batch.map((f) => [f.path, f.shown]));
      };
      worker.once('online', feed);
    });
  });
  // The main thread parses too, a batch at a time, letting the workers' results in between.
  const main = (async () => {
    for (let batch = queue.shift(); batch; batch = queue.shift()) {
      store(batch, batch.map((f) => analyseSource(f.path, f.shown, options.patterns, options.maxFileBytes)));
      await yieldToEvents();
    }
  })();
  try {
    await Promise.all([main, ...threads]);
  } finally {
    for (const worker of pool) void worker.terminate();
  }
  return results;
}
