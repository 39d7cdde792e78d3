import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const camel = (key) => key.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());

/**
 * A TypeScript code base of `files` modules that read `flagCount` flags (flag-0 … flag-N) in the
 * forms real code uses: string literals, an `as const` object and an enum behind an index
 * re-export, a const, a wrapper function, OpenFeature calls and useFlags() destructuring in .tsx.
 * Every file also mentions keys where they are not references (comments, log lines).
 * Returns how many references it wrote and how many lines.
 */
export function generateSources(root, { files, flagCount, methods = 18 }) {
  const shared = join(root, 'src', 'shared');
  mkdirSync(shared, { recursive: true });
  const key = (n) => `flag-${n % flagCount}`;
  let lines = 0;
  const write = (path, text) => {
    writeFileSync(path, text);
    lines += text.split('\n').length;
  };
  const entries = Array.from({ length: flagCount }, (_, n) => `  FLAG_${n}: '${key(n)}',`).join('\n');
  const members = Array.from({ length: flagCount }, (_, n) => `  F${n} = '${key(n)}',`).join('\n');
  const consts = Array.from({ length: flagCount }, (_, n) => `export const KEY_${n} = '${key(n)}';`).join('\n');
  write(join(shared, 'keys.ts'), `export const FLAGS = {\n${entries}\n} as const;\n\nexport enum Flag {\n${members}\n}\n\n${consts}\n`);
  write(join(shared, 'index.ts'), `export * from './keys.js';\nexport { isFeatureOn } from './features.js';\n`);
  write(
    join(shared, 'features.ts'),
    `import { client } from './client.js';\n\nexport function isFeatureOn(key: string, userId: string): boolean {\n  return client.isEnabled(key, { userId });\n}\n`,
  );
  write(join(shared, 'client.ts'), `export declare const client: {\n  isEnabled(key: string, context?: object): boolean;\n  getVariant(key: string, context?: object): string;\n  getBooleanValue(key: string, fallback: boolean): Promise<boolean>;\n};\n`);
  let references = 0;
  for (let i = 0; i < files; i++) {
    const dir = join(root, 'src', `module-${Math.floor(i / 50)}`);
    mkdirSync(dir, { recursive: true });
    const [a, b, c, d] = [i * 7, i * 7 + 13, i * 7 + 29, i * 7 + 41].map((n) => n % flagCount);
    const body = [];
    for (let m = 0; m < methods; m++) {
      body.push(
        `  /** Step ${m} of the pipeline for record ${i}. */`,
        `  async step${m}(input: Row[], limit = ${m + 10}): Promise<Row[]> {`,
        `    const out: Row[] = [];`,
        `    for (const row of input.slice(0, limit)) {`,
        `      if (row.weight > ${m} && row.name.startsWith('r${m}')) out.push({ ...row, weight: row.weight * ${m + 1} });`,
        `      else if (row.tags.includes('skip-${m}')) continue;`,
        `    }`,
        `    return out.sort((x, y) => x.weight - y.weight);`,
        `  }`,
        '',
      );
    }
    if (i % 10 === 9) {
      const [e, f] = [camel(key(a)), camel(key(b))];
      references += 3;
      write(
        join(dir, `view-${i}.tsx`),
        `import { useFlags } from 'launchdarkly-react-client-sdk';
import { client } from '../shared/client.js';

interface Row { name: string; weight: number; tags: string[] }

// ${key(c)} is documented in the wiki; this comment is not a reference.
export function View${i}({ rows }: { rows: Row[] }) {
  const { ${e}, ${f} } = useFlags();
  const compact = client.isEnabled('${key(d)}');
  return <ul className={compact ? 'compact' : 'wide'}>{rows.filter(() => ${e} || ${f}).map((r) => <li key={r.name}>{r.name}</li>)}</ul>;
}

export class Helper${i} {
${body.join('\n')}
}
`,
      );
      continue;
    }
    references += 4;
    write(
      join(dir, `service-${i}.ts`),
      `import { client } from '../shared/client.js';
import { Flag, FLAGS, isFeatureOn, KEY_${d} } from '../shared/index.js';

interface Row { name: string; weight: number; tags: string[] }

/** Service ${i}: see ${key(a)} in the runbook (a mention, not a reference). */
export class Service${i} {
  constructor(private readonly userId: string) {}

  async run(rows: Row[]): Promise<Row[]> {
    console.log('${key(b)} toggled for', this.userId);
    if (client.isEnabled('${key(a)}', { userId: this.userId })) rows = rows.slice(1);
    if (isFeatureOn(FLAGS.FLAG_${b}, this.userId)) rows = rows.reverse();
    if (await client.getBooleanValue(Flag.F${c}, false)) rows = rows.slice(0, 10);
    const variant = client.getVariant(KEY_${d});
    return variant === 'off' ? rows : this.step0(rows);
  }

${body.join('\n')}
}
`,
    );
  }
  return { references, lines };
}
