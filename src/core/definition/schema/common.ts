/**
 * Where the published schemas live: the package's own files on the npm CDN, so that editors,
 * SchemaStore and modelines outside any install resolve them by URL.
 */
export const SCHEMA_URLS = {
  flag: 'https://unpkg.com/flagops/schema/flag.schema.json',
  config: 'https://unpkg.com/flagops/schema/config.schema.json',
  segment: 'https://unpkg.com/flagops/schema/segment.schema.json',
} as const;

/** Names that would shadow Object.prototype members in JavaScript readers: never valid as map keys. */
export const RESERVED_NAMES = ['__proto__', 'constructor', 'prototype'];

/**
 * Not digits only: JavaScript objects move integer-like keys to the front, which would silently
 * reorder a split (the first variant in declared order wins a bucket).
 */
export const VARIANT_NAME_PATTERN = '^(?![0-9]+$)[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$';
/**
 * One line of text: no control characters, no line or paragraph separators. Names flagops prints in
 * logs (rules, users, groups, attributes, prefixes) must not start a new line there: in a GitHub
 * Actions log, a line that starts with :: is a workflow command.
 */
export const SINGLE_LINE_PATTERN = '^[^\\p{Cc}\\p{Zl}\\p{Zp}]*$';
export const singleLine = { pattern: SINGLE_LINE_PATTERN };

export const METADATA_NAME_PATTERN = '^[A-Za-z][A-Za-z0-9_.-]{0,63}$';
export const ENVIRONMENT_NAME_PATTERN = '^[a-z][a-z0-9_-]{0,31}$';

export const variantName = (description: string) => ({
  type: 'string',
  description,
  pattern: VARIANT_NAME_PATTERN,
  not: { enum: RESERVED_NAMES },
});

export const nameKeys = (pattern: string) => ({
  pattern,
  not: { enum: RESERVED_NAMES },
});
