// npm run bench:prerequisites: what one bulk OFREP answer costs over flags that require each other,
// beside the same number of independent flags, in one run. The serve server answers from an
// AnswerWriter like this one; here it is timed without HTTP, so that only evaluation counts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFlagClient } from '../dist/sdk/index.js';
import { writeStateFile } from '../dist/sdk/backup-file.js';
import { AnswerWriter } from '../dist/serve/ofrep.js';

const FLAGS = 5000;
const ROUNDS = 40;
const name = (i) => `flag-${String(i).padStart(5, '0')}`;
const flag = (i, requires) => ({
  key: name(i), type: 'release', enabled: true, variants: { on: true, off: false }, offVariant: 'off', salt: name(i), rules: [],
  serve: i === 0 ? { percentage: 50, variant: 'on', stickiness: 'userId' } : { variant: 'on' },
  ...(requires.length > 0 ? { requires: requires.map((k) => ({ flag: name(k), variant: 'on' })) } : {}),
});

const shapes = {
  'independent flags': (i) => flag(i, []),
  'a chain (each requires the one before)': (i) => flag(i, i > 0 ? [i - 1] : []),
  'a lattice (each requires the two before)': (i) => flag(i, i > 1 ? [i - 1, i - 2] : i > 0 ? [0] : []),
};

const dir = mkdtempSync(join(tmpdir(), 'flagops-bench-prereq-'));
const results = [];
try {
  for (const [label, make] of Object.entries(shapes)) {
    const path = join(dir, `${results.length}.json`);
    const flags = new Map(Array.from({ length: FLAGS }, (_, i) => [name(i), JSON.stringify(make(i))]));
    writeStateFile(path, { meta: { revision: 1, commit: 'bench', syncedAt: '', format: 2 }, flags, overrides: new Map() });
    const client = createFlagClient({ file: path });
    await client.ready();
    const writer = new AnswerWriter(client);
    for (let i = 0; i < 5; i++) writer.all({ userId: `warm-${i}` }).body();
    const times = [];
    for (let i = 0; i < ROUNDS; i++) {
      const started = performance.now();
      writer.all({ userId: `u-${i}` }).body();
      times.push(performance.now() - started);
    }
    await client.close();
    times.sort((a, b) => a - b);
    results.push({ label, median: times[Math.floor(times.length / 2)] });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const base = results[0].median;
console.log(`One bulk answer of ${FLAGS.toLocaleString('en-US')} flags (median of ${ROUNDS}, each for another user):`);
for (const r of results) console.log(`  ${r.label.padEnd(44)} ${r.median.toFixed(2).padStart(7)} ms  ${(r.median / base).toFixed(2)}x independent`);
