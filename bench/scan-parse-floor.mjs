// The parse floor of flagops scan: read every file, parse it with TypeScript, visit every node.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const files = [];
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs)$/.test(e.name)) files.push(p);
  }
};
for (const dir of process.argv.slice(2)) walk(dir);
let nodes = 0;
const visit = (node) => {
  nodes++;
  ts.forEachChild(node, visit);
};
for (const file of files) {
  const kind = file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  visit(ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, kind));
}
console.log(JSON.stringify({ files: files.length, nodes }));
