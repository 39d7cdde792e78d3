// The toolchain package's API: the runtime SDK (the same as @flagops/sdk) and the validator.
import { usePrebuiltValidators } from './files/prebuilt-validators.js';

// Validation through the API reads the validators the build wrote, as the CLI does.
usePrebuiltValidators();

export * from './sdk/index.js';
export { type Config, defaultConfig, parseConfig } from './core/definition/config.js';
export type { Diagnostic, Severity } from './core/shared/diagnostic.js';
export * from './core/definition/model.js';
export { type FlagText, type LoadedFlag, validateFlagTexts } from './core/definition/validate/validate-flags.js';
