import { FLAG_KEY_PATTERN, type KeyStyle } from '../../model.js';
import { camelCase, kebabCase, snakeCase } from '../../key-aliases.js';
import { RESERVED_NAMES } from '../../schema/common.js';
import type { FlagRule } from '../rule.js';

const keyPattern = new RegExp(FLAG_KEY_PATTERN);

export const fileNameIsKey: FlagRule = {
  code: 'invalid-key',
  severity: 'error',
  description: 'The file name (the flag key) uses letters, digits, "_", "." and "-" only, starting with a letter or digit.',
  check(_flag, ctx) {
    if (!keyPattern.test(ctx.key)) {
      ctx.report([], `The file name gives the flag key "${ctx.key}", which is not a valid flag key.`, {
        hint: 'Rename the file: letters, digits, "_", "." and "-", starting with a letter or digit (at most 128), e.g. new-checkout.yaml or newCheckout.yaml.',
      });
    } else if (RESERVED_NAMES.includes(ctx.key)) {
      ctx.report([], `The file name gives the flag key "${ctx.key}", which would shadow a member of every JavaScript object; it is never a valid name.`, {
        hint: `Rename the file, e.g. ${ctx.key}-flag.yaml.`,
      });
    }
  },
};

export const keyMatchesFileName: FlagRule = {
  code: 'key-mismatch',
  severity: 'error',
  description: 'A key field, when present, equals the file name.',
  check(flag, ctx) {
    if (flag.key !== undefined && flag.key !== ctx.key) {
      ctx.report(
        ['key'],
        `The key field says "${flag.key}" but the file name says "${ctx.key}"; they must match.`,
        {
          hint: `Rename the file to ${flag.key}.yaml, or remove the key field: the file name is the key.`,
        },
      );
    }
  },
};

const styles: Record<Exclude<KeyStyle, 'any'>, { test: RegExp; name: string; convert: (key: string) => string }> = {
  kebab: { test: /^[a-z0-9]+(?:-[a-z0-9]+)*$/, name: 'kebab-case', convert: kebabCase },
  camel: { test: /^[a-z][a-zA-Z0-9]*$/, name: 'camelCase', convert: camelCase },
  snake: { test: /^[a-z0-9]+(?:_[a-z0-9]+)*$/, name: 'snake_case', convert: snakeCase },
};

export const keyStyle: FlagRule = {
  code: 'key-style',
  severity: 'error',
  description: 'With keys.style in the configuration, every flag key follows it (kebab, camel or snake).',
  check(_flag, ctx) {
    const style = ctx.config.keys.style;
    if (style === 'any' || !keyPattern.test(ctx.key)) return;
    const rule = styles[style];
    if (rule.test.test(ctx.key)) return;
    ctx.report([], `The flag key "${ctx.key}" is not ${rule.name}, which keys.style: ${style} in the configuration asks for.`, {
      hint: `Rename the file to ${rule.convert(ctx.key)}.yaml (and the key in code), or set keys.style: any.`,
    });
  },
};
