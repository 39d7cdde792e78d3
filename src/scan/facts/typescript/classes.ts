import type { ts as TS } from '@ts-morph/common';
import { ts } from '../../parse/typescript.js';
import type { ClassInfo, FileWalker } from './walker.js';
import { isList, isListType, typeName, unwrap } from './syntax.js';
import { declaredValue } from './declarations.js';

/** Classes: their own methods (a `this.isEnabled` of a class's own is not the SDK's) and what their properties hold. */
export function inClass(w: FileWalker, node: TS.ClassLikeDeclaration) {
  const info: ClassInfo = { methods: new Set(), lists: new Set(), props: new Map() };
  for (const member of node.members) {
    const name = member.name && (ts.isIdentifier(member.name) || ts.isPrivateIdentifier(member.name)) ? member.name.text : undefined;
    if (name === undefined) continue;
    if (ts.isMethodDeclaration(member)) info.methods.add(name);
    else if (ts.isPropertyDeclaration(member)) {
      const init = member.initializer && unwrap(member.initializer);
      if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) info.methods.add(name);
      if ((member.type && isListType(member.type)) || (init && isList(init))) info.lists.add(name);
      info.props.set(name, declaredValue(w, member.initializer, true, `this.${name}`, member.type, w.isAmbient(member)));
    }
  }
  // Constructor parameter properties: `constructor(private flags: string[])`.
  for (const member of node.members) {
    if (!ts.isConstructorDeclaration(member)) continue;
    for (const p of member.parameters) {
      if (!ts.isIdentifier(p.name) || !ts.getModifiers(p)?.length) continue;
      if (p.type && isListType(p.type)) info.lists.add(p.name.text);
      const typed = p.type && typeName(p.type);
      info.props.set(p.name.text, { k: 'opaque', why: `this.${p.name.text} is given to the constructor`, ...(typed ? { typed } : {}) });
    }
  }
  w.classes.push(info);
  try {
    ts.forEachChild(node, w.visit);
  } finally {
    w.classes.pop();
  }
}
