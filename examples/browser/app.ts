// A page that reads flags through `flagops serve` with OpenFeature's web SDK and OFREP provider.
// The server, the key, the user and the polling interval come from the page's address:
//   index.html?server=http://127.0.0.1:8016&key=<a key of one environment>&user=u-1042&poll=5000
import { OpenFeature, ProviderEvents } from '@openfeature/web-sdk';
import { OFREPWebProvider } from '@openfeature/ofrep-web-provider';

const params = new URLSearchParams(location.search);
const provider = new OFREPWebProvider({
  baseUrl: params.get('server') ?? 'http://127.0.0.1:8016',
  // A browser key is public (anyone can read it from the page): it reads one environment's flags, nothing more.
  headers: [['X-API-Key', params.get('key') ?? '']],
  pollInterval: Number(params.get('poll') ?? 30_000),
});

const client = OpenFeature.getClient();
const text = (id: string, value: string) => {
  const node = document.getElementById(id);
  if (node) node.textContent = value;
};

function show(): void {
  const checkout = client.getBooleanDetails('new-checkout', false);
  text('checkout', `${checkout.value ? 'one-page checkout' : 'three-step checkout'} (${checkout.reason})`);
  text('payments', client.getBooleanValue('payments-enabled', false) ? 'card payments on' : 'card payments switched off');
  text('layout', client.getStringValue('pricing-page-test', 'control'));
}

client.addHandler(ProviderEvents.Ready, show);
client.addHandler(ProviderEvents.ConfigurationChanged, show);
client.addHandler(ProviderEvents.Error, (event) => text('status', `flags unavailable: ${event?.message ?? 'error'}`));

await OpenFeature.setContext({ targetingKey: params.get('user') ?? 'u-1042', plan: params.get('plan') ?? 'pro' });
await OpenFeature.setProviderAndWait(provider);
show();
text('status', 'flags loaded');

// For the browser test: the same OpenFeature objects the page uses.
Object.assign(window, { flagops: { OpenFeature, client } });
