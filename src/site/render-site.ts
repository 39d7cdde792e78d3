import { flagPage } from './pages/flag-page.js';
import { overviewPage } from './pages/overview-page.js';
import { ownersPage, timelinePage } from './pages/owners-page.js';
import type { SiteData } from './site-data.js';
import { SITE_CSS } from './style.js';
import { pagePaths } from './words.js';

export interface SiteFile {
  /** From the site's top, with forward slashes. */
  path: string;
  content: string;
}

/** Every file of the site but the overview's script (the adapter adds the compiled one). Pure. */
export function renderSite(data: SiteData): SiteFile[] {
  const paths = pagePaths(data.flags);
  const byKey = new Map(data.flags.filter((f) => f.status !== 'orphaned').map((f) => [f.key, paths.get(f)!]));
  const pageOf = (key: string) => byKey.get(key);
  return [
    { path: 'index.html', content: overviewPage(data, paths) },
    { path: 'owners.html', content: ownersPage(data, paths) },
    { path: 'timeline.html', content: timelinePage(data, paths) },
    { path: 'assets/site.css', content: SITE_CSS },
    ...data.flags.map((flag) => ({ path: paths.get(flag)!, content: flagPage(flag, data, pageOf) })),
  ];
}
