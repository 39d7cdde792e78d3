import { html, type Html } from './html.js';

/**
 * Nothing leaves the page: scripts and styles only from the site's own files, no fonts, frames or
 * connections. 'self' covers a site opened from disk as well (file: pages load file: assets).
 */
export const CONTENT_SECURITY_POLICY =
  'default-src \'none\'; script-src \'self\'; style-src \'self\'; img-src \'self\' data:; base-uri \'none\'; form-action \'none\'';

export type Section = 'flags' | 'owners' | 'timeline';

export interface PageOptions {
  title: string;
  /** '' for pages at the top of the site, '../' for flag pages. */
  root: string;
  section?: Section;
  body: Html;
  scripts?: string[];
}

const NAV: Array<[Section, string, string]> = [
  ['flags', 'index.html', 'Flags'],
  ['owners', 'owners.html', 'Owners'],
  ['timeline', 'timeline.html', 'Expiry timeline'],
];

export function page(options: PageOptions): string {
  const { root } = options;
  const nav = NAV.map(
    ([section, href, label]) => html`<li><a href="${root}${href}"${options.section === section ? html` aria-current="page"` : ''}>${label}</a></li>`,
  );
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${options.title} · flagops</title>
<link rel="stylesheet" href="${root}assets/site.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top"><nav aria-label="Site"><span class="brand">flagops</span><ul>${nav}</ul></nav></header>
<main id="main" tabindex="-1">
${options.body}
</main>
${(options.scripts ?? []).map((s) => html`<script defer src="${root}assets/${s}"></script>\n`)}</body>
</html>
`.text;
}
