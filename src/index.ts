export { type Config, defaultConfig, parseConfig } from './core/config.js';
export type { Diagnostic, Severity } from './core/diagnostic.js';
export * from './core/model.js';
export { type FlagText, type LoadedFlag, validateFlagTexts } from './core/validate/validate-flags.js';
