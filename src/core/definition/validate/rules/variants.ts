import type { PathSegment } from '../../load/source-map.js';
import { DEFAULT_OFF_VARIANT, DEFAULT_ON_VARIANT, type FlagDocument } from '../../model.js';
import { didYouMean, quoteList } from '../../../shared/suggest.js';
import type { FlagRule, RuleContext } from '../rule.js';
import { hasVariant, serveSites, variantsOf } from '../walk.js';

export const variantsExist: FlagRule = {
  code: 'unknown-variant',
  severity: 'error',
  description: 'Every variant named by offVariant, a rule, a serve or a split is defined in variants.',
  check(flag, ctx) {
    const need = (name: string, path: PathSegment[], what: string, part: 'key' | 'value' = 'value') => {
      if (hasVariant(flag, name)) return;
      const names = Object.keys(variantsOf(flag));
      const guess = didYouMean(name, names);
      ctx.report(
        path,
        `${what} names the variant "${name}", which this flag does not define.${guess ? ` Did you mean "${guess}"?` : ''}`,
        {
          part,
          hint: `Defined variants: ${quoteList(names, 'and')}. Add "${name}" under variants or use one of them.`,
        },
      );
    };

    if (flag.offVariant !== undefined) need(flag.offVariant, ['offVariant'], 'offVariant');
    else if (!hasVariant(flag, DEFAULT_OFF_VARIANT)) {
      ctx.report(
        ['variants'],
        `offVariant is not set and there is no variant named "${DEFAULT_OFF_VARIANT}".`,
        {
          part: 'key',
          hint: 'Add "offVariant: <name>": the variant served when the flag is disabled.',
        },
      );
    }

    for (const { serve, path } of serveSites(flag)) {
      if (typeof serve === 'string') need(serve, path, 'serve');
      else if ('split' in serve) {
        for (const name of Object.keys(serve.split)) need(name, [...path, 'split', name], 'The split', 'key');
      } else {
        const variant = serve.variant ?? DEFAULT_ON_VARIANT;
        need(
          variant,
          serve.variant ? [...path, 'variant'] : path,
          serve.variant ? 'variant' : 'A percentage (by default)',
        );
      }
    }
  },
};

const jsonType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v);

export const variantTypes: FlagRule = {
  code: 'variant-type',
  severity: 'error',
  description:
    'All variants of a flag have one value type; boolean flags have one true and one false variant; kill switches are boolean.',
  check(flag, ctx) {
    const variants = Object.entries(variantsOf(flag));
    const [first] = variants;
    if (!first) return;
    const firstType = jsonType(first[1]);
    for (const [name, value] of variants.slice(1)) {
      if (jsonType(value) !== firstType) {
        ctx.report(
          ['variants', name],
          `Variant "${name}" is a ${jsonType(value)} but "${first[0]}" is a ${firstType}; every variant of a flag must have the same type.`,
          { hint: 'Callers read a flag as one type (isEnabled, getValue); mixing types breaks them.' },
        );
        return;
      }
    }
    if (flag.type === 'kill-switch' && firstType !== 'boolean') {
      ctx.report(['variants'], `A kill-switch flag must have boolean variants; found ${firstType} values.`, {
        part: 'key',
        hint: 'Use variants: { on: true, off: false }, or another type for a multi-valued flag.',
      });
      return;
    }
    if (firstType === 'boolean') checkBooleanPair(flag, ctx);
  },
};

function checkBooleanPair(flag: FlagDocument, ctx: RuleContext) {
  const values = Object.values(variantsOf(flag));
  if (values.includes(true) && values.includes(false)) return;
  ctx.report(
    ['variants'],
    `A boolean flag needs one variant that is true and one that is false; every variant here is ${values[0]}.`,
    {
      part: 'key',
      hint: 'For example: variants: { on: true, off: false }.',
    },
  );
}
