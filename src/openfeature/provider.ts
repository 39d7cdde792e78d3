import {
  type EvaluationContext,
  type JsonValue,
  OpenFeatureEventEmitter,
  type Provider,
  ProviderEvents,
  type ResolutionDetails,
  type TrackingEventDetails,
} from '@openfeature/server-sdk';
import { flagMetadata as metadataOf } from '../core/serving/evaluate/metadata.js';
import type { EvaluationContext as FlagopsContext, EvaluationResult } from '../core/serving/evaluate/result.js';
import type { JsonValue as FlagJson } from '../core/definition/model.js';
import { createFlagClient, type FlagClient, type FlagClientOptions } from '../sdk/client.js';

/**
 * flagops behind OpenFeature's server SDK. It reads through a FlagClient (the same snapshot, the
 * same evaluation), maps OpenFeature's `targetingKey` to flagops' `userId`, and forwards the
 * client's events: ready → PROVIDER_READY, stale → PROVIDER_STALE, changed →
 * PROVIDER_CONFIGURATION_CHANGED (with the changed flag keys), a failed start → PROVIDER_ERROR.
 */
export class FlagopsProvider implements Provider {
  readonly metadata = { name: 'flagops' } as const;
  readonly runsOn = 'server' as const;
  readonly events = new OpenFeatureEventEmitter();
  readonly client: FlagClient;
  private readonly owned: boolean;
  private readonly ready: Promise<void>;

  /** Pass a FlagClient the application also uses directly, or the options to create one. */
  constructor(client: FlagClient | FlagClientOptions) {
    this.owned = !('isEnabled' in client);
    this.client = 'isEnabled' in client ? client : createFlagClient(client);
    let started = false;
    this.client.on('ready', () => {
      // The first ready resolves initialize(); OpenFeature announces that one itself.
      if (started) this.events.emit(ProviderEvents.Ready, { message: `revision ${this.client.revision}` });
    });
    this.client.on('stale', ({ error }) => this.events.emit(ProviderEvents.Stale, { message: error.message }));
    this.client.on('changed', ({ changed, revision }) =>
      this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged: changed, message: `revision ${revision}`, metadata: { revision } }),
    );
    this.client.on('error', () => {});
    // No flags at all puts the provider in ERROR (OpenFeature's way to say not ready); the client keeps trying.
    this.ready = this.client.ready().then((result) => {
      started = true;
      if (!result.ready) throw result.error;
    });
    this.ready.catch(() => {});
  }

  /** Waits for the first snapshot (or the bootstrap file); a rejection puts the provider in ERROR, evaluations then say PROVIDER_NOT_READY. */
  async initialize(): Promise<void> {
    await this.ready;
  }

  async onClose(): Promise<void> {
    if (this.owned) await this.client.close();
  }

  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context: EvaluationContext): Promise<ResolutionDetails<boolean>> {
    return Promise.resolve(this.resolve(flagKey, defaultValue, context));
  }

  resolveStringEvaluation(flagKey: string, defaultValue: string, context: EvaluationContext): Promise<ResolutionDetails<string>> {
    return Promise.resolve(this.resolve(flagKey, defaultValue, context));
  }

  resolveNumberEvaluation(flagKey: string, defaultValue: number, context: EvaluationContext): Promise<ResolutionDetails<number>> {
    return Promise.resolve(this.resolve(flagKey, defaultValue, context));
  }

  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T, context: EvaluationContext): Promise<ResolutionDetails<T>> {
    return Promise.resolve(this.resolve(flagKey, defaultValue, context));
  }

  /**
   * OpenFeature's tracking API: an outcome for the user in `context`, counted (with measurements on)
   * for the variant each guarded rollout serves that user, or only for `details.flag` when it
   * names one. `details.value` is the outcome's value (a latency in seconds, an amount).
   */
  track(trackingEventName: string, context: EvaluationContext, details?: TrackingEventDetails): void {
    const flag = typeof details?.flag === 'string' ? details.flag : undefined;
    const value = typeof details?.value === 'number' ? details.value : undefined;
    const user = toFlagopsContext(context);
    if (flag !== undefined) this.client.track(flag, trackingEventName, user, value);
    else this.client.trackGuarded(trackingEventName, user, value);
  }

  private resolve<T>(flagKey: string, defaultValue: T, context: EvaluationContext): ResolutionDetails<T> {
    const result = this.client.evaluate(flagKey, toFlagopsContext(context), defaultValue as FlagJson) as EvaluationResult<T>;
    const flagMetadata = metadataOf(result, this.client.describe(flagKey), this.client.revision);
    return {
      value: result.value,
      reason: result.reason,
      flagMetadata,
      ...(result.variant !== undefined ? { variant: result.variant } : {}),
      ...(result.errorCode !== undefined ? { errorCode: result.errorCode as never, errorMessage: result.message ?? result.errorCode } : {}),
    };
  }
}

/** OpenFeature's targetingKey is the user id unless the context names one itself. */
function toFlagopsContext(context: EvaluationContext): FlagopsContext {
  if (context.targetingKey === undefined || context.userId !== undefined) return context as FlagopsContext;
  return { ...context, userId: context.targetingKey } as FlagopsContext;
}
