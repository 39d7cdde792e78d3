import { html, jsonData } from '../html.js';
import { page } from '../layout.js';
import { HEALTH_TAGS, type SiteData, type SiteFlag } from '../site-data.js';
import { countdown, ownerAnchor, STATE_LABELS, TAG_LABELS } from '../words.js';

/** One overview row as the page's script reads it: short names keep 10,000 rows small. */
export interface OverviewRow {
  k: string;
  u: string;
  d: string;
  a: string;
  t: string;
  o: string;
  oa: string;
  age: number | null;
  e: string;
  dl: number | null;
  /** The countdown in words ("in 4 days", "1 day overdue"), as of the build. */
  c: string;
  s: string[];
  /** Each environment's badge. */
  b: string[];
  w: string[];
  r: number;
  g: string[];
  f: number;
}

/** What the overview's script reads from the page: the rows and the words for states and tags. */
export interface OverviewData {
  environments: string[];
  now: string;
  labels: { tags: Record<string, string>; states: Record<string, string> };
  rows: OverviewRow[];
}

export function overviewRows(data: SiteData, paths: ReadonlyMap<SiteFlag, string>): OverviewRow[] {
  return data.flags.map((f) => ({
    k: f.key,
    u: paths.get(f)!,
    d: f.description ?? '',
    a: f.area,
    t: f.type ?? '',
    o: f.owner ?? '',
    oa: f.owner ? ownerAnchor(f.owner) : '',
    age: f.ageDays ?? null,
    e: f.expires ?? '',
    dl: f.daysLeft ?? null,
    c: f.expires ? countdown(f.daysLeft) : '',
    s: f.environments.map((e) => e.state),
    b: f.environments.map((e) => e.label),
    w: f.environments.map((e) => e.words),
    r: f.references.length,
    g: f.tags,
    f: f.findings.length,
  }));
}

const count = (flags: readonly SiteFlag[], tag: string) => flags.filter((f) => (f.tags as string[]).includes(tag)).length;

/**
 * Every flag in one table. The rows are data in the page, drawn by assets/overview.js a page at a
 * time, so 10,000 flags stay quick to sort, filter and search; the filters live in the URL.
 */
export function overviewPage(data: SiteData, paths: ReadonlyMap<SiteFlag, string>): string {
  const flags = data.flags.filter((f) => f.status !== 'orphaned');
  const owners = [...new Set(flags.map((f) => f.owner).filter((o): o is string => Boolean(o)))].sort();
  const types = [...new Set(flags.map((f) => f.type).filter((t): t is string => Boolean(t)))].sort();
  const areas = [...new Set(flags.map((f) => f.area).filter(Boolean))].sort();
  const orphaned = data.flags.length - flags.length;
  const facts = [
    `${flags.length} flag${flags.length === 1 ? '' : 's'}`,
    `${count(flags, 'expired')} expired`,
    `${count(flags, 'expiring')} expiring within ${data.expiringWithinDays} days`,
    `${count(flags, 'stale')} stale`,
    `${count(flags, 'unused')} unused`,
    ...(orphaned > 0 ? [`${orphaned} orphaned key${orphaned === 1 ? '' : 's'} in code`] : []),
  ];
  const body = html`<h1>Feature flags</h1>
<p class="summary">${facts.join(' · ')}. As of ${data.generatedAt.slice(0, 10)}${data.commit ? ` at commit ${data.commit.slice(0, 12)}` : ''}.</p>
<form class="filters" id="filters" role="search" aria-label="Filter flags">
  <div><label for="q">Search</label><input id="q" name="q" type="search" autocomplete="off" placeholder="key, description, owner"></div>
  <div><label for="owner">Owner</label><select id="owner" name="owner"><option value="">All owners</option>${owners.map((o) => html`<option>${o}</option>`)}</select></div>
  <div><label for="type">Type</label><select id="type" name="type"><option value="">All types</option>${types.map((t) => html`<option>${t}</option>`)}</select></div>
  <div><label for="area">Area</label><select id="area" name="area"><option value="">All areas</option>${areas.map((a) => html`<option>${a}</option>`)}</select></div>
  <div><label for="env">In environment</label><select id="env" name="env">${data.environments.map((e, i) => html`<option value="${i}">${e}</option>`)}</select></div>
  <div><label for="state">it serves</label><select id="state" name="state"><option value="">anything</option>${(['on', 'partial', 'off'] as const).map((s) => html`<option value="${s}">${STATE_LABELS[s]}</option>`)}</select></div>
  <fieldset><legend>Health</legend>${HEALTH_TAGS.map((t) => html`<label><input type="checkbox" name="tag" value="${t}"> ${TAG_LABELS[t]}</label>`)}</fieldset>
  <div><button type="button" id="reset">Clear filters</button></div>
</form>
<p id="count" role="status" aria-live="polite" class="summary">Loading…</p>
<noscript><p>Sorting, filtering and search need JavaScript. The <a href="owners.html">owners page</a> lists every flag without it.</p></noscript>
<div class="table-wrap" role="region" aria-label="Flags" tabindex="0">
<table id="flags">
<caption class="visually-hidden">Flags, sortable by the column buttons</caption>
<thead><tr>
<th scope="col" data-sort="k" aria-sort="ascending"><button type="button">Flag</button></th>
<th scope="col" data-sort="a"><button type="button">Area</button></th>
<th scope="col" data-sort="t"><button type="button">Type</button></th>
<th scope="col" data-sort="o"><button type="button">Owner</button></th>
<th scope="col" data-sort="age" class="num"><button type="button">Age</button></th>
<th scope="col" data-sort="dl"><button type="button">Expires</button></th>
${data.environments.map((e, i) => html`<th scope="col" data-sort="s${i}"><button type="button">${e}</button></th>`)}
<th scope="col" data-sort="r" class="num"><button type="button">Refs<span class="visually-hidden"> (code references)</span></button></th>
<th scope="col" data-sort="f"><button type="button">Findings</button></th>
</tr></thead>
<tbody></tbody>
</table>
</div>
<nav class="pager" aria-label="Pages of flags"><button type="button" id="prev">Previous</button><span id="page"></span><button type="button" id="next">Next</button></nav>
<script type="application/json" id="flag-data">${jsonData({
  environments: data.environments,
  now: data.generatedAt,
  labels: { tags: TAG_LABELS, states: STATE_LABELS },
  rows: overviewRows(data, paths),
} satisfies OverviewData)}</script>`;
  return page({ title: 'Feature flags', root: '', section: 'flags', body, scripts: ['overview.js'] });
}
