/**
 * The runtime SDK's public API: what a service imports from @flagops/sdk. Nothing here reaches the
 * toolchain (YAML, JSON Schema, the TypeScript compiler): a service installs ioredis and this.
 */
export {
  type ChangeEvent,
  type ClientState,
  type ReadyResult,
  createFlagClient,
  FlagClient,
  type FlagClientEvents,
  type FlagClientOptions,
  type FlagDescription,
  type RedisClient,
} from './client.js';
export type { ErrorCode, EvaluationContext, EvaluationResult, Reason } from '../core/serving/evaluate/result.js';
export type { JsonValue } from '../core/definition/model.js';
export { FlagopsError } from '../errors.js';
