// The release workflow's guard: the pushed tag names the version both packages carry.
// Usage: node .ci/release-check.mjs v1.2.3
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tag = process.argv[2] ?? '';
const version = (file) => JSON.parse(readFileSync(join(root, file), 'utf8')).version;
const versions = { flagops: version('package.json'), '@flagops/sdk': version('packages/sdk/package.json') };
const problems = [];
if (!/^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(tag)) problems.push(`"${tag}" is not a release tag (v<major>.<minor>.<patch>)`);
for (const [name, v] of Object.entries(versions)) if (`v${v}` !== tag) problems.push(`${name} is ${v}, not ${tag.replace(/^v/, '')}`);
if (problems.length > 0) {
  console.error(`release-check: ${problems.join('; ')}. Set both versions (npm version in the root and in packages/sdk), commit, then tag.`);
  process.exit(1);
}
console.log(`release-check: ${tag} for flagops and @flagops/sdk`);
