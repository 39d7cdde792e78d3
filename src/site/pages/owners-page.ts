import { expiryChart } from '../charts.js';
import { html } from '../html.js';
import { page } from '../layout.js';
import { group, type SiteData, type SiteFlag } from '../site-data.js';
import { countdown, ownerAnchor, TAG_LABELS } from '../words.js';

/** Most urgent first: overdue, then by days left, then flags that never expire. */
const byUrgency = (a: SiteFlag, b: SiteFlag) => (a.daysLeft ?? Infinity) - (b.daysLeft ?? Infinity) || (a.key < b.key ? -1 : 1);

function flagRow(flag: SiteFlag, path: string) {
  const when = flag.tags.includes('expired') ? 'overdue' : flag.tags.includes('expiring') ? 'soon' : '';
  return html`<tr><td><a class="key" href="${path}">${flag.key}</a></td><td>${flag.type ?? ''}</td><td${when ? html` class="${when}"` : ''}>${flag.expires ? `${flag.expires} (${countdown(flag.daysLeft)})` : 'never'}</td><td class="num">${flag.references.length}</td><td>${flag.tags.map((t) => html`<span class="badge tag-${t}">${TAG_LABELS[t]}</span>`)}</td></tr>`;
}

/** Each team's flags, what is overdue first, with a summary table on top. */
export function ownersPage(data: SiteData, paths: ReadonlyMap<SiteFlag, string>): string {
  const byOwner = group(data.flags.filter((f) => f.status !== 'orphaned'), (f) => f.owner ?? '(no owner)');
  const tally = (flags: SiteFlag[], tag: string) => flags.filter((f) => (f.tags as string[]).includes(tag)).length;
  const owners = [...byOwner.entries()]
    .map(([owner, flags]) => ({ owner, flags: flags.sort(byUrgency), expired: tally(flags, 'expired'), expiring: tally(flags, 'expiring'), stale: tally(flags, 'stale'), unused: tally(flags, 'unused') }))
    .sort((a, b) => b.expired - a.expired || b.expiring - a.expiring || b.stale + b.unused - a.stale - a.unused || (a.owner < b.owner ? -1 : 1));
  const cell = (n: number, kind: string) => (n > 0 ? html`<td class="num ${kind}">${n}</td>` : html`<td class="num">0</td>`);
  const body = html`<h1>Owners</h1>
<p class="summary">${owners.length} owner${owners.length === 1 ? '' : 's'}; the ones with overdue flags first.</p>
<table><thead><tr><th scope="col">Owner</th><th scope="col" class="num">Flags</th><th scope="col" class="num">Expired</th><th scope="col" class="num">Expiring within ${data.expiringWithinDays} days</th><th scope="col" class="num">Stale</th><th scope="col" class="num">Unused</th></tr></thead>
<tbody>${owners.map((o) => html`<tr><td><a href="#${ownerAnchor(o.owner)}">${o.owner}</a></td><td class="num">${o.flags.length}</td>${cell(o.expired, 'overdue')}${cell(o.expiring, 'soon')}${cell(o.stale, '')}${cell(o.unused, '')}</tr>`)}</tbody></table>
${owners.map(
  (o) => html`<section aria-labelledby="${ownerAnchor(o.owner)}"><h2 id="${ownerAnchor(o.owner)}">${o.owner}</h2>
<p class="summary">${o.flags.length} flag${o.flags.length === 1 ? '' : 's'}${o.expired > 0 ? `, ${o.expired} overdue` : ''}${o.expiring > 0 ? `, ${o.expiring} expiring soon` : ''}.</p>
<table><thead><tr><th scope="col">Flag</th><th scope="col">Type</th><th scope="col">Expires</th><th scope="col" class="num">References</th><th scope="col">Health</th></tr></thead>
<tbody>${o.flags.map((f) => flagRow(f, paths.get(f)!))}</tbody></table></section>`,
)}`;
  return page({ title: 'Owners', root: '', section: 'owners', body });
}

/** Every flag with an expiry date on one time axis (today marked), then listed month by month. */
export function timelinePage(data: SiteData, paths: ReadonlyMap<SiteFlag, string>): string {
  const dated = data.flags.filter((f): f is SiteFlag & { expires: string } => f.expires !== undefined).sort(byUrgency);
  const never = data.flags.filter((f) => f.expires === undefined && f.status !== 'orphaned' && f.status !== 'invalid').length;
  const months = group(dated, (f) => f.expires.slice(0, 7));
  const today = data.generatedAt.slice(0, 10);
  const body = html`<h1>Expiry timeline</h1>
<p class="summary">${dated.length} flag${dated.length === 1 ? '' : 's'} with an expiry date, ${never} without. Today is ${today}.</p>
${expiryChart(dated, data.now, data.expiringWithinDays)}
<p class="legend"><span class="overdue">■ overdue</span> <span class="soon">■ within ${data.expiringWithinDays} days</span> <span class="later">■ later</span></p>
${[...months.entries()].map(
  ([month, flags]) => html`<section aria-labelledby="m-${month}"><h2 id="m-${month}">${month}${month === today.slice(0, 7) ? ' (this month)' : ''}</h2>
<table><thead><tr><th scope="col">Flag</th><th scope="col">Owner</th><th scope="col">Expires</th><th scope="col" class="num">References</th><th scope="col">Health</th></tr></thead>
<tbody>${flags.map((f) => html`<tr><td><a class="key" href="${paths.get(f)!}">${f.key}</a></td><td>${f.owner ?? ''}</td><td class="${f.tags.includes('expired') ? 'overdue' : f.tags.includes('expiring') ? 'soon' : ''}">${f.expires} (${countdown(f.daysLeft)})</td><td class="num">${f.references.length}</td><td>${f.tags.map((t) => html`<span class="badge tag-${t}">${TAG_LABELS[t]}</span>`)}</td></tr>`)}</tbody></table></section>`,
)}`;
  return page({ title: 'Expiry timeline', root: '', section: 'timeline', body });
}
