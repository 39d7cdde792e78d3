import fc from 'fast-check';
import { expect } from 'vitest';
import type { ModuleFacts } from '../../src/core/lifecycle/scan/facts.js';

/**
 * The property every language's analyser holds on any text, built from fragments of its syntax
 * and random strings: it never throws, and every candidate lies inside the text.
 */
export function candidatesStayInside(analyse: (text: string) => ModuleFacts, fragments: string[], numRuns: number): void {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string()), { maxLength: 60 }), (parts) => {
      const text = parts.join(' ');
      const lines = text.split('\n').length;
      for (const c of analyse(text).candidates) {
        expect(c.line).toBeGreaterThanOrEqual(1);
        expect(c.line).toBeLessThanOrEqual(lines);
      }
    }),
    { numRuns },
  );
}
