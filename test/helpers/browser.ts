import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

/**
 * The system's Chromium (Debian's `chromium` package; nothing is downloaded): FLAGOPS_CHROMIUM, else
 * the first of chromium, chromium-browser, google-chrome on PATH.
 */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.FLAGOPS_CHROMIUM) return env.FLAGOPS_CHROMIUM;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome']) {
    for (const folder of (env.PATH ?? '').split(delimiter)) {
      const path = join(folder, name);
      try {
        accessSync(path, constants.X_OK);
        return path;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

const path = chromiumPath();
if (!path && process.env.FLAGOPS_REQUIRE_BROWSER === '1') {
  throw new Error('FLAGOPS_REQUIRE_BROWSER=1 but no Chromium on PATH: install it (apt-get install chromium) or set FLAGOPS_CHROMIUM.');
}

/** Why the browser tests cannot run here, printed with the skip; undefined when they can. */
export const noBrowser = path
  ? undefined
  : 'browser tests skipped: no Chromium on PATH (apt-get install chromium, or set FLAGOPS_CHROMIUM); .ci/run installs it and requires these tests';
if (noBrowser) console.warn(noBrowser);

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: path!, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

export interface Watched {
  errors: string[];
  /** Every request the page made that is not to a file: URL or data: URL. */
  outside: string[];
}

/** Records console errors, page errors and any request that leaves the site's own files. */
export function watch(page: Page): Watched {
  const watched: Watched = { errors: [], outside: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') watched.errors.push(message.text());
  });
  page.on('pageerror', (error) => watched.errors.push(error.message));
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith('file:') && !url.startsWith('data:')) watched.outside.push(url);
  });
  return watched;
}
