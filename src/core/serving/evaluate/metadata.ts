import type { EvaluationResult } from './result.js';

/** What a served flag is, for its metadata: the flag file's type, expiry and own metadata. */
export interface FlagFacts {
  type: string;
  expires?: string;
  metadata?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * An evaluation's OpenFeature flag metadata, as the OpenFeature provider and the OFREP server both
 * give it: the flag file's metadata, then `revision`, `type`, `expires`, and `rule`, `override`,
 * `prerequisite` and `message` when they decided or explain the value.
 */
export function flagMetadata(
  result: Pick<EvaluationResult<unknown>, 'rule' | 'override' | 'prerequisite' | 'message' | 'errorCode'>,
  facts: FlagFacts | undefined,
  revision: number,
): Record<string, string | number | boolean> {
  const metadata: Record<string, string | number | boolean> = { ...facts?.metadata, revision };
  if (facts) {
    metadata.type = facts.type;
    if (facts.expires) metadata.expires = facts.expires;
  }
  if (result.rule !== undefined) metadata.rule = result.rule;
  if (result.override) metadata.override = true;
  if (result.prerequisite !== undefined) metadata.prerequisite = result.prerequisite;
  if (result.message !== undefined && result.errorCode === undefined) metadata.message = result.message;
  return metadata;
}
