import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ReferencePatterns } from '../core/scan/patterns.js';
import type { SourceOutcome } from './analyse-source.js';

export interface AnalyseOptions {
  patterns: ReferencePatterns;
  maxFileBytes: number;
  /** Parse workers: undefined picks by size and cores, 0 parses on this thread. */
  workers?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Below this many bytes of source, starting workers (each loads TypeScript, about half a second)
 * costs more than it saves.
 */
const WORKERS_FROM_BYTES = 8 * 1024 * 1024;
const BATCH = 64;

/** Parses and analyses every file, on worker threads when the code base is large enough to pay. */
export async function analyseAll(files: readonly [path: string, shown: string][], options: AnalyseOptions): Promise<SourceOutcome[]> {
  const workers = options.workers ?? automaticWorkers(files);
  if (workers <= 0 || files.length < BATCH * 2) {
    const { analyseSource } = await import('./analyse-source.js');
    return files.map(([path, shown], i) => {
      const outcome = analyseSource(path, shown, options.patterns, options.maxFileBytes);
      options.onProgress?.(i + 1, files.length);
      return outcome;
    });
  }
  return inWorkers(files, workers, options);
}

function automaticWorkers(files: readonly [string, string][]): number {
  let bytes = 0;
  for (const [path] of files) {
    try {
      bytes += statSync(path).size;
    } catch {
      // Unreadable files are reported by the analysis.
    }
    if (bytes >= WORKERS_FROM_BYTES) return Math.min(availableParallelism(), 8);
  }
  return 0;
}

function inWorkers(files: readonly [string, string][], count: number, options: AnalyseOptions): Promise<SourceOutcome[]> {
  return new Promise((resolve, reject) => {
    const results: SourceOutcome[][] = [];
    let next = 0;
    let done = 0;
    let running = 0;
    const pool: Worker[] = [];
    const finish = (error?: unknown) => {
      for (const w of pool) void w.terminate();
      if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve(results.flat());
    };
    const feed = (worker: Worker) => {
      if (next >= files.length) {
        if (--running === 0) finish();
        return;
      }
      const index = results.length;
      results.push([]);
      const batch = files.slice(next, next + BATCH);
      next += batch.length;
      worker.once('message', (outcomes: SourceOutcome[]) => {
        results[index] = outcomes;
        done += outcomes.length;
        options.onProgress?.(done, files.length);
        feed(worker);
      });
      worker.postMessage(batch);
    };
    for (let i = 0; i < count; i++) {
      const worker = new Worker(new URL('./analyse-worker.js', import.meta.url), {
        workerData: { patterns: options.patterns, maxFileBytes: options.maxFileBytes },
      });
      worker.on('error', finish);
      pool.push(worker);
      running++;
      feed(worker);
    }
  });
}
