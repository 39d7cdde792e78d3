// The toolchain package's API: the runtime SDK (the same as @flagops/sdk) and the validator.
export * from './sdk/index.js';
export { type Config, defaultConfig, parseConfig } from './core/config.js';
export type { Diagnostic, Severity } from './core/diagnostic.js';
export * from './core/model.js';
export { type FlagText, type LoadedFlag, validateFlagTexts } from './core/validate/validate-flags.js';
