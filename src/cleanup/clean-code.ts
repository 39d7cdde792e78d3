import { Node, Project, type SourceFile, ts } from 'ts-morph';
import type { ReaderResult } from '../core/lifecycle/cleanup/readers.js';
import type { Kept } from '../core/lifecycle/cleanup/ready.js';
import type { CallPattern } from '../core/lifecycle/scan/patterns/patterns.js';
import type { Reference } from '../core/lifecycle/scan/resolve/resolve.js';
import { quotedForms } from './literal.js';
import { Placeholders } from './placeholders.js';
import { type FlagRead, type Refusal, replaceReads } from './replace-reads.js';
import { simplify, substitute } from './simplify.js';
import { removeNewlyUnused, useCounts } from './unused.js';

export interface CodeCleanupInput {
  /** The flags to remove, with the value each keeps. */
  flags: ReadonlyMap<string, Kept>;
  /** Every reference the scan found (display paths). */
  references: readonly Reference[];
  /** Wrapper functions the scan inferred: a call of one gives what the call inside it gives. */
  wrappers: readonly CallPattern[];
  readers: (via: string) => ReaderResult;
  /** Display path → absolute path, for every scanned source file. */
  sources: ReadonlyMap<string, string>;
  read: (absolute: string) => string;
  /** Files cleanup must not edit (the generated module: it is generated again). */
  skip: ReadonlySet<string>;
}

export interface CodeCleanup {
  /** Display path → the file's text before and after, for each file that changed. */
  changed: Map<string, { path: string; before: string; after: string }>;
  cleaned: string[];
  refused: Refusal[];
  /** What went beyond the reads themselves, per file: keys, wrappers, imports and locals left unused. */
  removed: { file: string; name: string; what: string }[];
}

/**
 * Removes flags from the code: each read becomes the kept value, the code is simplified, and
 * what that left unused goes. A flag with a read that cannot be rewritten is refused as a whole
 * and the others are done again without it, so no file holds half a cleanup.
 */
export function cleanCode(input: CodeCleanupInput): CodeCleanup {
  const active = new Map(input.flags);
  const refused: Refusal[] = [];
  for (;;) {
    const attempt = new Attempt(input, active).run();
    const newlyRefused = new Set(attempt.refused.map((r) => r.flag));
    if (newlyRefused.size === 0) return { ...attempt, cleaned: [...active.keys()], refused };
    refused.push(...attempt.refused);
    for (const flag of newlyRefused) active.delete(flag);
    if (active.size === 0) return { changed: new Map(), cleaned: [], refused, removed: [] };
  }
}

class Attempt {
  private readonly project = new Project({
    useInMemoryFileSystem: true,
    compilerOptions: { allowJs: true, jsx: ts.JsxEmit.Preserve },
  });

  private readonly ph = new Placeholders();
  private readonly files = new Map<string, { sf: SourceFile; before: string; counts: Map<string, number> }>();
  private readonly removed: CodeCleanup['removed'] = [];

  constructor(
    private readonly input: CodeCleanupInput,
    private readonly active: ReadonlyMap<string, Kept>,
  ) {}

  run(): Omit<CodeCleanup, 'cleaned'> {
    const refused: Refusal[] = [];
    const byFile = new Map<string, FlagRead[]>();
    const wrapped = new Map(this.input.wrappers.map((w) => [w.name, w.wrapper?.calls ?? w.name]));
    for (const ref of this.input.references) {
      const kept = ref.flag === null || ref.undefinedKey ? undefined : this.active.get(ref.flag);
      if (!kept || this.input.skip.has(ref.file)) continue;
      const via = ref.kind === 'wrapper' ? innermost(ref.via, wrapped) : ref.via;
      const read: FlagRead = { ref: ref as FlagRead['ref'], kept, result: this.input.readers(via) };
      byFile.set(ref.file, [...(byFile.get(ref.file) ?? []), read]);
    }
    for (const [file, reads] of byFile) {
      const sf = this.open(file);
      if (!sf) continue;
      refused.push(...replaceReads(sf, reads, this.ph));
      simplify(sf, this.ph);
      refused.push(...substitute(sf, this.ph, file));
    }
    if (refused.length > 0) return { changed: new Map(), refused, removed: [] };
    for (const file of byFile.keys()) this.dropUnused(file);
    this.removeKeyDefinitions();
    this.removeIdleWrappers(byFile);
    const changed: CodeCleanup['changed'] = new Map();
    for (const [file, { sf, before }] of this.files) {
      const after = sf.getFullText();
      if (after !== before) changed.set(file, { path: this.input.sources.get(file)!, before, after });
    }
    return { changed, refused, removed: this.removed };
  }

  private open(file: string): SourceFile | undefined {
    const known = this.files.get(file);
    if (known) return known.sf;
    const path = this.input.sources.get(file);
    if (!path) return undefined;
    const before = this.input.read(path);
    const sf = this.project.createSourceFile(`/${this.files.size}/${path.split('/').pop()}`, before, { overwrite: true });
    this.files.set(file, { sf, before, counts: useCounts(sf.compilerNode) });
    return sf;
  }

  private dropUnused(file: string) {
    const entry = this.files.get(file)!;
    for (const name of removeNewlyUnused(entry.sf, entry.counts)) this.removed.push({ file, name, what: 'left unused' });
  }

  private text(file: string): string {
    return this.files.get(file)?.sf.getFullText() ?? this.input.read(this.input.sources.get(file)!);
  }

  /** Files whose text holds `needle`, in the state this attempt left them. */
  private filesWith(needle: string): string[] {
    return [...this.input.sources.keys()].filter((file) => !this.input.skip.has(file) && this.text(file).includes(needle));
  }

  /**
   * Where a key is written once for code to read it by name (an entry of a key object, an enum
   * member, a const), it goes when nothing names it any more.
   */
  private removeKeyDefinitions() {
    for (const flag of this.active.keys()) {
      const files = new Set(quotedForms(flag).flatMap((q) => this.filesWith(q)));
      for (const file of files) {
        const sf = this.open(file)!;
        const kept = new Set<string>();
        for (;;) {
          const definition = keyDefinitions(sf.compilerNode, flag).find((d) => !kept.has(d.name));
          if (!definition) break;
          if (this.namedElsewhere(definition.name, file, definition.node)) {
            kept.add(definition.name);
            continue;
          }
          removeListed(sf, definition.node);
          this.removed.push({ file, name: definition.name, what: `the name of key "${flag}"` });
        }
        this.dropUnused(file);
      }
    }
  }

  /** A wrapper the cleaned reads went through, that nothing calls any more. */
  private removeIdleWrappers(byFile: ReadonlyMap<string, FlagRead[]>) {
    const used = new Set<string>();
    for (const reads of byFile.values()) for (const r of reads) if (r.ref.kind === 'wrapper') used.add(r.ref.via);
    for (const wrapper of this.input.wrappers) {
      if (!used.has(wrapper.name) || !wrapper.wrapper) continue;
      const file = wrapper.wrapper.file;
      const sf = this.open(file);
      if (!sf) continue;
      const tree = sf.compilerNode;
      const at = tree.getPositionOfLineAndCharacter(wrapper.wrapper.line - 1, wrapper.wrapper.column - 1);
      const fn = enclosingFunction(tree, at, wrapper.name);
      if (!fn || this.namedElsewhere(wrapper.name, file, fn, true)) continue;
      for (const [other, specifier] of this.reExports(wrapper.name)) {
        const osf = this.open(other)!;
        removeListed(osf, specifier);
        this.dropUnused(other);
      }
      removeListed(sf, fn);
      this.removed.push({ file, name: wrapper.name, what: 'a wrapper nothing calls any more' });
      this.dropUnused(file);
    }
  }

  /**
   * Whether code names `name` anywhere but inside `definition` (re-exports aside when
   * `reExports`): as an identifier or a quoted property (`FLAGS['NEW_CHECKOUT']`), not in comments.
   */
  private namedElsewhere(name: string, file: string, definition: ts.Node, reExports = false): boolean {
    for (const other of this.filesWith(name)) {
      const tree = this.files.has(other) || other === file
        ? this.open(other)!.compilerNode
        : ts.createSourceFile(other, this.text(other), ts.ScriptTarget.Latest, true);
      const inside = other === file ? [definition.getStart(tree), definition.end] : [-1, -1];
      let found = false;
      const visit = (node: ts.Node) => {
        if (found || (node.end <= inside[1]! && node.getStart(tree) >= inside[0]!)) return;
        if (reExports && ts.isExportSpecifier(node)) return;
        if ((ts.isIdentifier(node) || ts.isStringLiteralLike(node)) && node.text === name) found = true;
        else node.forEachChild(visit);
      };
      visit(tree);
      if (found) return true;
    }
    return false;
  }

  private reExports(name: string): Array<[string, ts.ExportSpecifier]> {
    const out: Array<[string, ts.ExportSpecifier]> = [];
    for (const file of this.filesWith(name)) {
      const tree = this.open(file)!.compilerNode;
      const visit = (node: ts.Node) => {
        if (ts.isExportSpecifier(node) && (node.propertyName ?? node.name).getText(tree) === name) out.push([file, node]);
        node.forEachChild(visit);
      };
      visit(tree);
    }
    return out;
  }
}

/** The flag call a wrapper of wrappers ends in: what its read gives. */
function innermost(name: string, wrapped: ReadonlyMap<string, string>): string {
  let via = name;
  for (let depth = 0; depth < 8 && wrapped.has(via) && wrapped.get(via) !== via; depth++) via = wrapped.get(via)!;
  return via;
}

/** Object entries, enum members and consts whose value is exactly the flag's key. */
function keyDefinitions(tree: ts.SourceFile, flag: string): { name: string; node: ts.Node }[] {
  const found: { name: string; node: ts.Node }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteralLike(node) && node.text === flag) {
      const p = node.parent;
      if (ts.isPropertyAssignment(p) && p.initializer === node && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) {
        found.push({ name: p.name.text, node: p });
      } else if (ts.isEnumMember(p) && p.initializer === node && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) {
        found.push({ name: p.name.text, node: p });
      } else if (ts.isVariableDeclaration(p) && p.initializer === node && ts.isIdentifier(p.name) && ts.isVariableDeclarationList(p.parent)) {
        const list = p.parent;
        if (list.flags & ts.NodeFlags.Const && ts.isVariableStatement(list.parent) && list.declarations.length === 1) {
          found.push({ name: p.name.text, node: list.parent });
        }
      }
      return;
    }
    node.forEachChild(visit);
  };
  visit(tree);
  return found;
}

function enclosingFunction(tree: ts.SourceFile, at: number, name: string): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node) => {
    if (node.pos > at || node.end < at) return;
    if (ts.isFunctionDeclaration(node) && node.name?.text === name) found = node;
    if (ts.isVariableStatement(node) && node.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)) found = node;
    node.forEachChild(visit);
  };
  visit(tree);
  return found;
}

/**
 * Removes a node through ts-morph, which knows the commas of object entries, enum members and
 * export lists; an export list left empty goes with its statement.
 */
function removeListed(sf: SourceFile, node: ts.Node): void {
  let target = sf.getDescendantAtStartWithWidth(node.getStart(sf.compilerNode), node.end - node.getStart(sf.compilerNode));
  while (target && target.getKind() !== node.kind) target = target.getParent();
  if (Node.isExportSpecifier(target)) {
    const declaration = target.getExportDeclaration();
    target.remove();
    if (!declaration.wasForgotten() && declaration.getNamedExports().length === 0) declaration.remove();
  } else if (Node.isPropertyAssignment(target) || Node.isEnumMember(target)) {
    target.remove();
  } else if (Node.isVariableStatement(target) || Node.isFunctionDeclaration(target)) {
    target.remove();
  }
}
