import { parentPort, workerData } from 'node:worker_threads';
import type { ReferencePatterns } from '../core/lifecycle/scan/patterns/patterns.js';
import { analyseSource } from './facts/analyse-source.js';

/** A parse worker: batches of [path, shown] in, one outcome per file out. */
const { patterns, maxFileBytes } = workerData as { patterns: ReferencePatterns; maxFileBytes: number };
parentPort!.on('message', (batch: [string, string][]) => {
  parentPort!.postMessage(batch.map(([path, shown]) => analyseSource(path, shown, patterns, maxFileBytes)));
});
