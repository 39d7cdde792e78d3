import type { JsonValue } from '../core/definition/model.js';

/** The quote a file writes its strings with, so a value put in its place reads like the code around it. */
export function quoteOf(text: string): '\'' | '"' {
  const single = text.match(/'[^'\n]*'/g)?.length ?? 0;
  const double = text.match(/"[^"\n]*"/g)?.length ?? 0;
  return double > single ? '"' : '\'';
}

/** A JSON value as TypeScript source. */
export function literal(value: JsonValue, quote: '\'' | '"'): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return stringLiteral(value, quote);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, quote)).join(', ')}]`;
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : stringLiteral(k, quote));
  return `{ ${entries.map(([k, v]) => `${key(k)}: ${literal(v, quote)}`).join(', ')} }`;
}

export function stringLiteral(value: string, quote: '\'' | '"'): string {
  const body = JSON.stringify(value).slice(1, -1);
  return quote === '"' ? `"${body}"` : `'${body.replace(/\\"/g, '"').replace(/'/g, '\\\'')}'`;
}

/** How a key is written as a string in code: the needles for a text search. */
export const quotedForms = (key: string) => [`'${key}'`, `"${key}"`, `\`${key}\``];
