import { resolve } from 'node:path';
import type { Population } from '../../core/change/blast-radius.js';
import type { EvaluationContext } from '../../core/serving/evaluate/result.js';
import { readBounded, refusal } from '../../files/read-bounded.js';
import { displayPath } from '../../files/read-flag-files.js';
import { UsageError } from '../io.js';

/** A population file is a sample of real contexts: large, but not unbounded. */
const MAX_BYTES = 512 * 1024 * 1024;

/**
 * `--population <file>`: one evaluation context per line, as JSON objects (JSON lines), e.g. an
 * export of recent requests. A line that is not a JSON object stops the run, naming file and line.
 */
export function readPopulation(path: string, cwd: string): Population {
  const absolute = resolve(cwd, path);
  const file = displayPath(cwd, absolute);
  const read = readBounded(absolute, MAX_BYTES);
  if ('tooLarge' in read) throw new UsageError(`The population file ${file} is over 512 MiB.`, 'Sample it: a few hundred thousand contexts estimate a share to a tenth of a percent.');
  if ('outside' in read || 'notRegular' in read) throw new UsageError(`The population file ${refusal(file, read)}`);
  if ('error' in read) throw new UsageError(`The population file ${file} could not be read (${read.error}).`, 'Check the --population path.');
  const contexts: EvaluationContext[] = [];
  const lines = Buffer.from(read.bytes).toString('utf8').split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new UsageError(`${file}:${i + 1}:1 is not valid JSON (${(error as Error).message}).`, 'A population file holds one context per line, e.g. {"userId":"u-1","plan":"pro","groups":["beta"]}.');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new UsageError(`${file}:${i + 1}:1 is not a JSON object.`, 'Each line is one evaluation context: {"userId":"u-1","plan":"pro"}.');
    }
    contexts.push(value as EvaluationContext);
  });
  if (contexts.length === 0) throw new UsageError(`The population file ${file} holds no contexts.`, 'Write one JSON object per line.');
  return { contexts, name: `${contexts.length.toLocaleString('en')} contexts of ${file}` };
}
