import type { Condition, FlagType, JsonValue, Scalar } from './model.js';

/** Version of the compiled format; readers refuse formats they do not know. */
export const COMPILED_FORMAT = 1;

/** Who gets what, normalised: every default filled in, splits as ordered pairs. */
export type CompiledServe =
  | { variant: string }
  | { percentage: number; variant: string; stickiness: string }
  | { split: Array<[variant: string, weight: number]>; stickiness: string }
  | { stages: Array<{ at: string; percentage: number }>; variant: string; stickiness: string };

export interface CompiledRule {
  name?: string;
  users?: string[];
  groups?: string[];
  when?: Condition[];
  serve: CompiledServe;
}

/**
 * One flag as one environment sees it: what the SDK evaluates and what a store holds. Every default
 * is resolved, so a reader in any language needs no knowledge of the YAML format.
 */
export interface CompiledFlag {
  key: string;
  type: FlagType;
  enabled: boolean;
  variants: Record<string, JsonValue>;
  offVariant: string;
  salt: string;
  rules: CompiledRule[];
  serve: CompiledServe;
  expires?: string;
  /** The flag file's metadata, for readers that return it (OpenFeature flag metadata). */
  metadata?: Record<string, Scalar>;
}
