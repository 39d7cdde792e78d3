import { parentPort, workerData } from 'node:worker_threads';
import type { ReferencePatterns } from '../core/lifecycle/scan/patterns/patterns.js';
import { analyseSource } from './facts/analyse-source.js';
import { prepareLanguages } from './facts/languages.js';

/** A parse worker: batches of [path, shown] in, one outcome per file out (one batch at a time). */
const { patterns, maxFileBytes } = workerData as { patterns: ReferencePatterns; maxFileBytes: number };
parentPort!.on('message', async (batch: [string, string][]) => {
  // A grammar loads once per thread, before the first file of its language.
  await prepareLanguages(batch.map(([, shown]) => shown));
  parentPort!.postMessage(batch.map(([path, shown]) => analyseSource(path, shown, patterns, maxFileBytes)));
});
