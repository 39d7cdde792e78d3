import { PROVIDER_METADATA_KEYS } from '../../model.js';
import type { FlagRule } from '../rule.js';

const reserved = new Set<string>(PROVIDER_METADATA_KEYS);

export const metadataNamesFree: FlagRule = {
  code: 'metadata-reserved',
  severity: 'error',
  description: `metadata does not use a name the OpenFeature provider sets itself (${PROVIDER_METADATA_KEYS.join(', ')}).`,
  check(flag, ctx) {
    for (const name of Object.keys(flag.metadata ?? {})) {
      if (!reserved.has(name)) continue;
      ctx.report(['metadata', name], `metadata name "${name}" is set by flagops itself in every evaluation's flag metadata.`, {
        part: 'key',
        hint: `Pick another name (for example "${name}Note"); flagops sets ${PROVIDER_METADATA_KEYS.join(', ')}.`,
      });
    }
  },
};
