export { type Config, defaultConfig, parseConfig } from './core/config.js';
export type { Diagnostic, Severity } from './core/diagnostic.js';
export * from './core/model.js';
export { type FlagText, type LoadedFlag, validateFlagTexts } from './core/validate/validate-flags.js';
export type { ErrorCode, EvaluationContext, EvaluationResult, Reason } from './core/evaluate/result.js';
export {
  type ChangeEvent,
  type ClientState,
  createFlagClient,
  FlagClient,
  type FlagClientEvents,
  type FlagClientOptions,
  type FlagDescription,
} from './sdk/client.js';
export { FlagopsError } from './errors.js';
