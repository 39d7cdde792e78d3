// The road not taken: the same walk through ts-morph's Project and wrapped nodes.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Project } from 'ts-morph';

const project = new Project({ skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true, compilerOptions: { allowJs: true, jsx: 1 } });
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.(?:ts|tsx|mts|cts|js|jsx|mjs|cjs)$/.test(e.name)) project.addSourceFileAtPath(p);
  }
};
for (const dir of process.argv.slice(2)) walk(dir);
let nodes = 0;
const sourceFiles = project.getSourceFiles();
for (const sf of sourceFiles) {
  sf.forEachDescendant(() => {
    nodes++;
  });
  sf.forget();
}
console.log(JSON.stringify({ files: sourceFiles.length, nodes }));
