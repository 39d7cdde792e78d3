import { TOO_GENERIC_FOR_WRAPPERS } from '../../../core/lifecycle/scan/patterns/patterns.js';

/** Names the reference forms treat alike: calls never wrappers, members every object has, and limits. */
export const MAX_TEXT = 60;
/** A wrapper's key argument is looked for among the first arguments of other calls. */
export const MAX_WRAPPER_ARGUMENTS = 6;
/** Calls that cannot be a wrapper defined in the code base: keeping their arguments would cost memory for nothing. */
export const NEVER_WRAPPERS = new Set([
  ...TOO_GENERIC_FOR_WRAPPERS,
  'slice', 'splice', 'startsWith', 'endsWith', 'sort', 'reverse', 'concat', 'join', 'split', 'replace', 'replaceAll',
  'indexOf', 'lastIndexOf', 'match', 'matchAll', 'padStart', 'padEnd', 'repeat', 'trim', 'toFixed', 'forEach', 'reduce',
  'findIndex', 'flatMap', 'assign', 'keys', 'values', 'entries', 'fromEntries', 'stringify', 'parse', 'isArray', 'from',
  'max', 'min', 'floor', 'ceil', 'round', 'abs', 'setTimeout', 'setInterval', 'clearTimeout', 'expect', 'describe', 'it',
  'Number', 'String', 'Boolean', 'Symbol', 'Error', 'Promise', 'all', 'allSettled', 'race', 'charAt', 'charCodeAt', 'at',
  'unshift', 'shift', 'pop', 'fill', 'freeze', 'defineProperty', 'hasOwnProperty', 'toLowerCase', 'toUpperCase', 'substring',
]);

/** Members every array, object or string has: `flags.length` on an array named flags is not a flag. */
export const BUILTIN_MEMBERS = new Set([
  'length', 'map', 'filter', 'forEach', 'reduce', 'reduceRight', 'find', 'findIndex', 'findLast', 'findLastIndex', 'some', 'every',
  'includes', 'indexOf', 'lastIndexOf', 'slice', 'splice', 'push', 'pop', 'shift', 'unshift', 'concat', 'join', 'sort', 'reverse',
  'flat', 'flatMap', 'keys', 'values', 'entries', 'at', 'fill', 'size', 'get', 'set', 'has', 'delete', 'clear', 'add', 'toString',
  'toLocaleString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'constructor', 'prototype', '__proto__',
  'then', 'catch', 'finally', 'toSorted', 'toReversed', 'toSpliced', 'with',
]);
