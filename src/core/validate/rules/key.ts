import { FLAG_KEY_PATTERN } from '../../model.js';
import { RESERVED_NAMES } from '../../schema/common.js';
import type { FlagRule } from '../rule.js';

const keyPattern = new RegExp(FLAG_KEY_PATTERN);

export const fileNameIsKey: FlagRule = {
  code: 'invalid-key',
  severity: 'error',
  description: 'The file name (the flag key) uses lowercase letters, digits, "_", "." and "-" only.',
  check(_flag, ctx) {
    if (!keyPattern.test(ctx.key)) {
      ctx.report([], `The file name gives the flag key "${ctx.key}", which is not a valid flag key.`, {
        hint: 'Rename the file: lowercase letters, digits, "_", "." and "-", starting with a letter or digit, e.g. new-checkout.yaml.',
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
