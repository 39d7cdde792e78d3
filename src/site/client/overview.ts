/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The overview's script, run in the browser: sorts, filters, searches and pages the flag rows that
// the page carries as JSON. Its state lives in the URL's hash, so a reload or a shared link shows
// the same view. Rows are built with textContent only: no flag text is ever parsed as markup.
// Labels and countdowns come with the data, worded once at build time (src/site/words.ts).

import type { OverviewData, OverviewRow as Row } from '../pages/overview-page.js';

interface State {
  q: string;
  owner: string;
  type: string;
  area: string;
  env: string;
  state: string;
  tags: string[];
  sort: string;
  dir: 'asc' | 'desc';
  page: number;
}

// 50 rows a page: drawing a row costs more than finding it (100 rows took most of a 60 ms keystroke).
const PAGE_SIZE = 50;
const STATE_ORDER: Record<string, number> = { on: 0, partial: 1, off: 2 };

const data = JSON.parse(document.getElementById('flag-data')!.textContent!) as OverviewData;
const { rows, labels } = data;
const haystacks = rows.map((r) => `${r.k} ${r.d} ${r.o} ${r.a} ${r.t}`.toLowerCase());

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>('filters');
const search = $<HTMLInputElement>('q');
const selects = ['owner', 'type', 'area', 'env', 'state'].map((id) => $<HTMLSelectElement>(id));
const boxes = [...form.querySelectorAll<HTMLInputElement>('input[name="tag"]')];
const tbody = document.querySelector<HTMLTableSectionElement>('#flags tbody')!;
const headers = [...document.querySelectorAll<HTMLTableCellElement>('#flags th[data-sort]')];
const count = $('count');

const DEFAULTS: State = { q: '', owner: '', type: '', area: '', env: '0', state: '', tags: [], sort: 'k', dir: 'asc', page: 1 };

function readHash(): State {
  const params = new URLSearchParams(location.hash.slice(1));
  const state: State = { ...DEFAULTS, tags: [] };
  for (const key of ['q', 'owner', 'type', 'area', 'env', 'state', 'sort'] as const) {
    const value = params.get(key);
    if (value !== null) state[key] = value;
  }
  state.tags = (params.get('tags') ?? '').split(',').filter((t) => t in labels.tags);
  state.dir = params.get('dir') === 'desc' ? 'desc' : 'asc';
  state.page = Math.max(1, Number(params.get('page')) || 1);
  return state;
}

function writeHash(state: State): void {
  const params = new URLSearchParams();
  for (const key of ['q', 'owner', 'type', 'area', 'env', 'state', 'sort', 'dir'] as const) {
    if (state[key] !== DEFAULTS[key]) params.set(key, state[key]);
  }
  if (state.tags.length > 0) params.set('tags', state.tags.join(','));
  if (state.page > 1) params.set('page', String(state.page));
  const hash = params.toString();
  // replaceState: typing a search must not fill the history with one entry per key.
  history.replaceState(null, '', hash ? `#${hash}` : location.pathname + location.search);
}

function showState(state: State): void {
  search.value = state.q;
  for (const select of selects) {
    const value = state[select.id as 'owner'];
    select.value = [...select.options].some((o) => o.value === value) ? value : '';
    if (select.id === 'env' && select.value === '') select.selectedIndex = 0;
  }
  for (const box of boxes) box.checked = state.tags.includes(box.value);
  for (const th of headers) {
    if (th.dataset.sort === state.sort) th.setAttribute('aria-sort', state.dir === 'asc' ? 'ascending' : 'descending');
    else th.removeAttribute('aria-sort');
  }
}

function stateFromForm(previous: State): State {
  const state: State = { ...previous, q: search.value, tags: boxes.filter((b) => b.checked).map((b) => b.value), page: 1 };
  for (const select of selects) state[select.id as 'owner'] = select.value;
  return state;
}

const matchesFilters = (state: State, terms: string[], env: number, i: number): boolean => {
  const r = rows[i]!;
  if (state.owner && r.o !== state.owner) return false;
  if (state.type && r.t !== state.type) return false;
  if (state.area && r.a !== state.area) return false;
  if (state.state && r.s[env] !== state.state) return false;
  if (state.tags.length > 0 && !state.tags.every((t) => r.g.includes(t))) return false;
  return terms.length === 0 || terms.every((t) => haystacks[i]!.includes(t));
};

function sortKey(r: Row, sort: string): string | number | null {
  if (sort.startsWith('s')) return STATE_ORDER[r.s[Number(sort.slice(1))] ?? ''] ?? 3;
  if (sort === 'k' || sort === 'a' || sort === 't' || sort === 'o') return r[sort] === '' ? null : r[sort].toLowerCase();
  if (sort === 'f') return r.f + r.g.length * 1000;
  const value = r[sort as 'age' | 'dl' | 'r'];
  return value === undefined ? null : value;
}

/**
 * Each column's order, sorted once and kept: a keystroke then only walks 10,000 rows in that order
 * and tests them (a sort per keystroke cost most of a frame). Runs of equal values keep the rows'
 * own order in both directions; rows without a value (no expiry, no owner) come last in both.
 */
const orders = new Map<string, { sorted: number[]; runStart: boolean[]; empty: number[] }>();
function orderFor(sort: string) {
  let order = orders.get(sort);
  if (order) return order;
  const keys = rows.map((r) => sortKey(r, sort));
  const present = keys.flatMap((k, i) => (k === null ? [] : [i]));
  const sorted = present.sort((a, b) => {
    const [x, y] = [keys[a]!, keys[b]!];
    return (x < y ? -1 : x > y ? 1 : 0) || a - b;
  });
  const runStart = sorted.map((i, n) => n === 0 || keys[sorted[n - 1]!] !== keys[i]);
  order = { sorted, runStart, empty: keys.flatMap((k, i) => (k === null ? [i] : [])) };
  orders.set(sort, order);
  return order;
}

function matches(state: State): Row[] {
  const terms = state.q.toLowerCase().split(/\s+/).filter(Boolean);
  const env = Number(state.env) || 0;
  const { sorted, runStart, empty } = orderFor(state.sort);
  const out: Row[] = [];
  const take = (i: number) => {
    if (matchesFilters(state, terms, env, i)) out.push(rows[i]!);
  };
  if (state.dir === 'asc') {
    for (const i of sorted) take(i);
  } else {
    // Runs of equal values from the last to the first, each run in its own order.
    let end = sorted.length;
    for (let n = sorted.length - 1; n >= 0; n--) {
      if (!runStart[n]) continue;
      for (let m = n; m < end; m++) take(sorted[m]!);
      end = n;
    }
  }
  for (const i of empty) take(i);
  return out;
}

function el(tag: string, text?: string, className?: string): HTMLElement {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function rowElement(r: Row): HTMLTableRowElement {
  const tr = document.createElement('tr');
  const name = el('td');
  const a = el('a', r.k, 'key') as HTMLAnchorElement;
  a.href = r.u;
  name.append(a);
  if (r.d) name.append(el('span', r.d, 'desc'));
  tr.append(name, el('td', r.a), el('td', r.t));
  const owner = el('td');
  if (r.o) {
    const link = el('a', r.o) as HTMLAnchorElement;
    link.href = `owners.html#${r.oa}`;
    owner.append(link);
  }
  tr.append(owner, el('td', r.age === null ? '' : `${r.age} d`, 'num'));
  const expires = el('td', undefined, r.g.includes('expired') ? 'overdue' : r.g.includes('expiring') ? 'soon' : '');
  expires.append(el('span', r.e || 'never', 'date'));
  if (r.e) expires.append(el('span', r.c, 'when'));
  tr.append(expires);
  data.environments.forEach((_, i) => {
    const cell = el('td');
    const state = r.s[i];
    if (state) {
      cell.append(el('span', r.b[i] ?? labels.states[state] ?? state, `badge state-${state}`), el('span', r.w[i] ?? '', 'desc words'));
    }
    tr.append(cell);
  });
  tr.append(el('td', String(r.r), 'num'));
  const findings = el('td');
  for (const tag of r.g) findings.append(el('span', labels.tags[tag] ?? tag, `badge tag-${tag}`));
  if (r.f > 0) findings.append(el('span', `${r.f} finding${r.f === 1 ? '' : 's'}`, 'muted'));
  tr.append(findings);
  return tr;
}

let current = readHash();

function render(): void {
  const list = matches(current);
  const pages = Math.max(1, Math.ceil(list.length / PAGE_SIZE));
  current.page = Math.min(current.page, pages);
  const start = (current.page - 1) * PAGE_SIZE;
  const shown = list.slice(start, start + PAGE_SIZE);
  const fragment = document.createDocumentFragment();
  for (const r of shown) fragment.append(rowElement(r));
  tbody.replaceChildren(fragment);
  // Keys the code reads that no flag file defines are rows too, but not flags: counted apart.
  const orphaned = (of: readonly Row[]) => of.filter((r) => r.g.includes('orphaned')).length;
  const n = (x: number) => x.toLocaleString('en-US');
  const what = (of: readonly Row[]) => {
    const keys = orphaned(of);
    const flags = of.length - keys;
    return keys === 0 ? n(flags) : `${n(flags)} flag${flags === 1 ? '' : 's'} and ${n(keys)} orphaned key${keys === 1 ? '' : 's'}`;
  };
  const plain = orphaned(rows) === 0;
  count.textContent =
    list.length === 0
      ? `No flag matches (${what(rows)} in all).`
      : `Showing ${n(start + 1)}–${n(start + shown.length)} of ${plain ? `${n(list.length)} matching flags` : `${list.length.toLocaleString('en-US')} matching: ${what(list)}`} (${what(rows)} in all).`;
  $('page').textContent = `Page ${current.page} of ${pages}`;
  $<HTMLButtonElement>('prev').disabled = current.page <= 1;
  $<HTMLButtonElement>('next').disabled = current.page >= pages;
  showState(current);
}

function update(next: State): void {
  current = next;
  writeHash(current);
  render();
}

form.addEventListener('input', () => update(stateFromForm(current)));
form.addEventListener('submit', (event) => event.preventDefault());
$('reset').addEventListener('click', () => update({ ...DEFAULTS, tags: [] }));
$('prev').addEventListener('click', () => update({ ...current, page: current.page - 1 }));
$('next').addEventListener('click', () => update({ ...current, page: current.page + 1 }));
for (const th of headers) {
  th.querySelector('button')!.addEventListener('click', () => {
    const sort = th.dataset.sort!;
    update({ ...current, sort, dir: current.sort === sort && current.dir === 'asc' ? 'desc' : 'asc', page: 1 });
  });
}
window.addEventListener('hashchange', () => {
  current = readHash();
  render();
});

render();
document.body.dataset.ready = 'true';
performance.mark('flagops:overview-ready');
