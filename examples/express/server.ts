/**
 * Runs the example: `npm run example:express` (builds flagops, compiles this folder with esbuild, starts it).
 * Reads Redis when FLAGOPS_REDIS_URL is set, else the file store
 * that `npm run demo` writes (.flagops/store/production.json).
 */
// In your service: import { createFlagClient } from '@flagops/sdk' (the same API, without the toolchain).
import { createFlagClient } from 'flagops';
import { createApp } from './app.js';

const flags = process.env.FLAGOPS_REDIS_URL
  ? createFlagClient({ url: process.env.FLAGOPS_REDIS_URL, env: process.env.FLAGOPS_ENV ?? 'production', backup: '.flagops/backup.json' })
  : createFlagClient({ file: `.flagops/store/${process.env.FLAGOPS_ENV ?? 'production'}.json` });
flags.on('error', (error) => console.error(`flags: ${error.message}`));

const app = await createApp(flags);
const port = Number(process.env.PORT ?? 3000);
app.listen(port, () => console.log(`shop on http://localhost:${port} (try: curl -H 'x-user-id: u-1042' localhost:${port}/checkout)`));
