// The toolchain package's API: the runtime SDK (the same as @flagops/sdk) and the validator.
export * from './sdk/index.js';
export { type Config, defaultConfig, parseConfig } from './core/definition/config.js';
export type { Diagnostic, Severity } from './core/shared/diagnostic.js';
export * from './core/definition/model.js';
export { type FlagText, type LoadedFlag, validateFlagTexts } from './core/definition/validate/validate-flags.js';
