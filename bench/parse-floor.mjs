// The floor: read every flag file and parse it with the yaml package, nothing else.
// With --no-unique-keys, without yaml's duplicate-key check (quadratic in a mapping's size), as flagops parses.
// The same process.env copy as flagops's CLI, so the floor is not slowed by yaml's per-token getenv.
process.env = { ...process.env };

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const uniqueKeys = !process.argv.includes('--no-unique-keys');

const stack = [process.argv[2]];
let files = 0;
while (stack.length > 0) {
  const dir = stack.pop();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) stack.push(full);
    else if (entry.name.endsWith('.yaml')) {
      parse(readFileSync(full, 'utf8'), { uniqueKeys });
      files++;
    }
  }
}
process.stdout.write(`${files}\n`);
