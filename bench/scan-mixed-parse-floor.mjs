// The parse floor of flagops scan on a code base of many languages: read every file, parse it
// with the parser flagops uses for its language (TypeScript's for TypeScript and JavaScript,
// tree-sitter's grammar for the others, the same WebAssembly builds), and visit every node.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import ts from 'typescript';
import { Language, Parser } from 'web-tree-sitter';

const require = createRequire(import.meta.url);
const GRAMMAR_OF = { py: 'python', go: 'go', java: 'java', kt: 'kotlin', kts: 'kotlin', cs: 'c_sharp', rb: 'ruby', rake: 'ruby', php: 'php' };
const TYPESCRIPT = /\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

const files = [];
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (TYPESCRIPT.test(e.name) || GRAMMAR_OF[e.name.split('.').at(-1)]) files.push(p);
  }
};
for (const dir of process.argv.slice(2)) walk(dir);

await Parser.init({ locateFile: () => require.resolve('web-tree-sitter/tree-sitter.wasm') });
const parsers = new Map();
for (const grammar of new Set(files.map((f) => GRAMMAR_OF[f.split('.').at(-1)]).filter(Boolean))) {
  const parser = new Parser();
  parser.setLanguage(await Language.load(require.resolve(`tree-sitter-wasms/out/tree-sitter-${grammar}.wasm`)));
  parsers.set(grammar, parser);
}

let nodes = 0;
const visit = (node) => {
  nodes++;
  ts.forEachChild(node, visit);
};
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const grammar = GRAMMAR_OF[file.split('.').at(-1)];
  if (!grammar) {
    visit(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS));
    continue;
  }
  const tree = parsers.get(grammar).parse(text);
  const cursor = tree.walk();
  // Depth first over every node, as a walk that looks at each one does.
  for (let more = true; more;) {
    nodes++;
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        more = false;
        break;
      }
    }
  }
  cursor.delete();
  tree.delete();
}
console.log(JSON.stringify({ files: files.length, nodes }));
