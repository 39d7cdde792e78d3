/**
 * An Express service reading flags through OpenFeature, backed by flagops. The user is set once
 * per request, in a middleware, as OpenFeature's transaction context (AsyncLocalStorage), so
 * handlers ask for flags without passing the user around.
 */
import { AsyncLocalStorageTransactionContextPropagator, OpenFeature } from '@openfeature/server-sdk';
import express, { type Express } from 'express';
import type { FlagClient } from 'flagops';
import { FlagopsProvider } from 'flagops/openfeature';

export async function createApp(flags: FlagClient): Promise<Express> {
  OpenFeature.setTransactionContextPropagator(new AsyncLocalStorageTransactionContextPropagator());
  await OpenFeature.setProviderAndWait(new FlagopsProvider(flags));
  const features = OpenFeature.getClient('shop');

  const app = express();
  app.use((req, _res, next) => {
    const user = req.header('x-user-id');
    const context = { ...(user ? { targetingKey: user } : {}), plan: req.header('x-plan') ?? 'free', anonymousId: req.header('x-anonymous-id') ?? user ?? '' };
    OpenFeature.setTransactionContext(context, () => next());
  });

  app.get('/checkout', async (_req, res) => {
    const paymentsUp = await features.getBooleanValue('payments-enabled', true);
    if (!paymentsUp) return void res.status(503).json({ steps: [], message: 'Payments are paused.' });
    const onePage = await features.getBooleanDetails('new-checkout', false);
    res.json({ steps: onePage.value ? ['one-page'] : ['cart', 'address', 'payment'], reason: onePage.reason, variant: onePage.variant });
  });

  app.get('/pricing', async (_req, res) => {
    const layout = await features.getStringDetails('pricing-page-test', 'classic');
    res.json({ layout: layout.value, variant: layout.variant, reason: layout.reason, rule: layout.flagMetadata.rule });
  });

  return app;
}
