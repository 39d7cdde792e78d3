/**
 * Flag-map objects expose flags under converted names: LaunchDarkly's useFlags() turns
 * "new-checkout" into newCheckout, others use new_checkout or NEW_CHECKOUT; Ruby's symbols
 * (:new_checkout) and C#'s nameof(Features.NewCheckout) name a key the same way.
 */
function words(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

export function camelCase(key: string): string {
  return words(key)
    .map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1)))
    .join('');
}

export const snakeCase = (key: string) => words(key).join('_');
/** As C#'s nameof() of a PascalCase member spells it: NewCheckout. */
export const pascalCase = (key: string) => words(key).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
export const constantCase = (key: string) => snakeCase(key).toUpperCase();
export const kebabCase = (key: string) => words(key).join('-');

/** Property name → flag key, for names that are a key as written or in one of the case forms. */
export class AliasIndex {
  private readonly byName = new Map<string, string>();

  constructor(keys: Iterable<string>) {
    const sorted = [...keys].sort();
    // Exact keys first, so a key that equals another key's alias still means itself.
    for (const key of sorted) this.byName.set(key, key);
    for (const key of sorted) {
      for (const alias of [camelCase(key), snakeCase(key), constantCase(key), pascalCase(key)]) {
        if (!this.byName.has(alias)) this.byName.set(alias, key);
      }
    }
  }

  lookup(name: string): string | undefined {
    return this.byName.get(name);
  }
}
