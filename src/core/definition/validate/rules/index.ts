import type { FlagRule } from '../rule.js';
import { conditionValues } from './conditions.js';
import { enabledEnvironmentsServe, environmentsDeclared } from './environments.js';
import { expiresAfterCreated, expiresRequired, expiresWithinLifetime } from './expiry.js';
import { guardsValid } from './guards.js';
import { fileNameIsKey, keyMatchesFileName, keyStyle } from './key.js';
import { metadataNamesFree } from './metadata.js';
import { ownerFormat } from './owner.js';
import { percentagePrecision, splitSumsTo100, stagesInOrder } from './percentages.js';
import { variantsExist, variantTypes } from './variants.js';

/** The semantic rules, in the order their findings read best. */
export const flagRules: readonly FlagRule[] = [
  fileNameIsKey,
  keyMatchesFileName,
  keyStyle,
  ownerFormat,
  expiresAfterCreated,
  expiresRequired,
  expiresWithinLifetime,
  environmentsDeclared,
  enabledEnvironmentsServe,
  variantsExist,
  variantTypes,
  percentagePrecision,
  splitSumsTo100,
  stagesInOrder,
  guardsValid,
  conditionValues,
  metadataNamesFree,
];
