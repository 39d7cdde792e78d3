/** The part of the flagops SDK the shop uses; see docs/scan.md for every pattern the scanner knows. */
export interface EvaluationContext {
  userId?: string;
  plan?: string;
  [attribute: string]: string | number | boolean | undefined;
}

export interface FlagClient {
  isEnabled(key: string, context?: EvaluationContext, fallback?: boolean): boolean;
  getVariant(key: string, context?: EvaluationContext): string | undefined;
  getValue<T>(key: string, context: EvaluationContext, fallback: T): T;
}

export declare const flags: FlagClient;
