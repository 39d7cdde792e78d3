import type { ts as TS } from '@ts-morph/common';
import { ts } from '../../parse/typescript.js';
import type { ValueExpr } from '../../../core/lifecycle/scan/facts.js';
import type { FileWalker } from './walker.js';

/** The JSX form: `<IfFeatureEnabled feature="new-checkout">` and configured components like it. */

/** `<IfFeatureEnabled feature="new-ui">`: a configured component's key attribute. */
export function jsxElement(w: FileWalker, node: TS.JsxOpeningLikeElement) {
  const tag = node.tagName;
  const component = ts.isIdentifier(tag) ? tag.text : ts.isPropertyAccessExpression(tag) ? tag.name.text : undefined;
  const patterns = component === undefined ? undefined : w.jsx.get(component);
  if (!patterns) return;
  for (const pattern of patterns) {
    let found: TS.JsxAttribute | undefined;
    let spread: TS.JsxSpreadAttribute | undefined;
    for (const property of node.attributes.properties) {
      if (ts.isJsxSpreadAttribute(property)) spread = property;
      else if (ts.isIdentifier(property.name) && property.name.text === pattern.attribute) found = property;
    }
    if (!found) {
      // The key may come in through the spread; without one, the element does not read a flag.
      if (spread) w.candidate(spread, 'jsx', component!, { k: 'opaque', why: `${pattern.attribute} comes from a spread` }, pattern.strict);
      continue;
    }
    const init = found.initializer;
    const [at, key]: [TS.Node, ValueExpr] | [undefined, undefined] = !init
      ? [found, { k: 'opaque', why: `${pattern.attribute} has no value` }]
      : ts.isStringLiteral(init)
        ? [init, { k: 'str', v: init.text }]
        : ts.isJsxExpression(init) && init.expression
          ? [init.expression, w.valueOf(init.expression)]
          : [undefined, undefined];
    if (!at) continue;
    const candidate = w.candidateOf(at, 'jsx', component!, key, pattern.strict);
    candidate.origin = w.originOf(tag as TS.Expression);
    if (pattern.configured) candidate.configured = true;
    w.facts.candidates.push(candidate);
  }
}
