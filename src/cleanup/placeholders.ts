import type { JsonValue } from '../core/definition/model.js';

/**
 * While a file is simplified, each value cleanup put in place of a flag read is an identifier of
 * its own (`__flagops_kept_3__`) standing for a known value. Simplification only folds what
 * involves one, so the code's own constants (`if (true)`, `DEBUG && …`) stay as written; at the
 * end each one left becomes its literal.
 */
export class Placeholders {
  private readonly values: JsonValue[] = [];
  /** Placeholders that stand for an evaluation result: only its .value and .variant can be kept. */
  private readonly partial = new Set<number>();
  /** The flag each placeholder came from, to say which flag a refusal is about. */
  private readonly flags: string[] = [];
  /** The flag read each placeholder came from (line, column as the scanner gave them). */
  private readonly origins: Array<{ line: number; column: number }> = [];

  add(value: JsonValue, flag: string, origin: { line: number; column: number }, partial = false): string {
    this.values.push(value);
    this.flags.push(flag);
    this.origins.push(origin);
    if (partial) this.partial.add(this.values.length - 1);
    return name(this.values.length - 1);
  }

  /** The placeholder's index when `text` is one. */
  index(text: string): number | undefined {
    const match = PATTERN.exec(text);
    return match ? Number(match[1]) : undefined;
  }

  has(text: string): boolean {
    return this.index(text) !== undefined;
  }

  value(text: string): JsonValue {
    return this.values[this.index(text)!]!;
  }

  flag(text: string): string {
    return this.flags[this.index(text)!]!;
  }

  origin(text: string): { line: number; column: number } {
    return this.origins[this.index(text)!]!;
  }

  isPartial(text: string): boolean {
    return this.partial.has(this.index(text)!);
  }
}

const PATTERN = /^__flagops_kept_(\d+)__$/;
const name = (i: number) => `__flagops_kept_${i}__`;
/** Every placeholder in a text. */
export const PLACEHOLDER_GLOBAL = /__flagops_kept_(\d+)__/g;

/** JavaScript truthiness of a JSON value. */
export function truthy(value: JsonValue): boolean {
  return value !== null && value !== false && value !== 0 && value !== '';
}
