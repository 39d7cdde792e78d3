import { rolloutChart } from '../charts.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';
import type { SiteData, SiteFlag, SiteLink } from '../site-data.js';
import { countdown, ownerAnchor, TAG_LABELS } from '../words.js';

/** A link to another site page, or the key alone when the site has no page for it. */
function flagLink(key: string, pageOf: (key: string) => string | undefined): Html {
  const path = pageOf(key);
  return path ? html`<a class="key" href="../${path}">${key}</a>` : html`<span class="key">${key}</span>`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One flag: what it is, what each environment serves, who reads it, how it is tested, how it changed. */
export function flagPage(flag: SiteFlag, data: SiteData, pageOf: (key: string) => string | undefined): string {
  const ref = (l: SiteLink) => (l.url ? html`<a href="${l.url}">${l.text}</a>` : html`${l.text}`);
  const files = new Set(flag.references.map((r) => r.text.split(':')[0])).size;
  const facts = flag.status === 'orphaned'
    ? html`<dl class="facts"><dt>Defined</dt><dd>nowhere: code reads this key but no flag file defines it</dd></dl>`
    : html`<dl class="facts">
<dt>Owner</dt><dd>${flag.owner ? html`<a href="../owners.html#${ownerAnchor(flag.owner)}">${flag.owner}</a>` : '—'}</dd>
<dt>Type</dt><dd>${flag.type ?? '—'}</dd>
${flag.area ? html`<dt>Area</dt><dd>${flag.area}</dd>` : ''}
<dt>Created</dt><dd>${flag.created ?? '—'}${flag.ageDays !== undefined ? ` (${plural(flag.ageDays, 'day')} ago)` : ''}</dd>
<dt>Expires</dt><dd${flag.tags.includes('expired') ? html` class="overdue"` : flag.tags.includes('expiring') ? html` class="soon"` : ''}>${flag.expires ? `${flag.expires} (${countdown(flag.daysLeft)})` : 'never'}</dd>
<dt>File</dt><dd>${ref({ text: flag.file, ...(flag.fileUrl ? { url: flag.fileUrl } : {}) })}</dd>
</dl>`;
  const environments = flag.environments.map(
    (e) => html`<section class="env" aria-labelledby="env-${e.name}"><h3 id="env-${e.name}">${e.name}</h3>
<p><span class="badge state-${e.state}">${e.label}</span> <span class="words">${e.words}</span></p>
${e.rules.length > 0 ? html`<p>Rules, first match wins:</p><ol class="rules">${e.rules.map((r) => html`<li>${r}</li>`)}</ol>` : ''}
${e.rollout
  ? html`<p>Rollout to ${e.rollout.variant}: ${e.rollout.now}% today.</p>${rolloutChart(e.rollout.stages, data.now, `Rollout of ${flag.key} in ${e.name}: ${e.rollout.stages.map((s) => `${s.percentage}% from ${s.at.slice(0, 16).replace('T', ' ')}Z`).join(', ')}`)}<ul class="plain">${e.rollout.stages.map((s) => html`<li>${s.at.slice(0, 16).replace('T', ' ')}Z: ${s.percentage}%${s.gate ? `, only if ${s.gate}` : ''}</li>`)}</ul>`
  : ''}
</section>`,
  );
  const body = html`<p><a href="../index.html">← All flags</a></p>
<h1 class="key">${flag.key}</h1>
${flag.description ? html`<p>${flag.description}</p>` : ''}
<p>${flag.tags.map((t) => html`<span class="badge tag-${t}">${TAG_LABELS[t]}</span>`)}</p>
${facts}
${flag.findings.length > 0
  ? html`<h2>Findings</h2><ul class="plain">${flag.findings.map((f) => html`<li><span class="badge ${f.severity === 'error' ? 'fail' : 'tag-expiring'}">${f.severity}</span> ${f.code}: ${f.message} (${ref(f.at)})</li>`)}</ul>`
  : ''}
${flag.environments.length > 0 ? html`<h2>Environments</h2>${environments}` : ''}
${flag.requires.length + flag.requiredBy.length > 0
  ? html`<h2>Prerequisites</h2>
${flag.requires.length > 0 ? html`<p>Requires: ${flag.requires.map((k, i) => html`${i > 0 ? ', ' : ''}${flagLink(k, pageOf)}`)}</p>` : ''}
${flag.requiredBy.length > 0 ? html`<p>Required by: ${flag.requiredBy.map((k, i) => html`${i > 0 ? ', ' : ''}${flagLink(k, pageOf)}`)} (a kill of this flag turns them off)</p>` : ''}`
  : ''}
${flag.segments.length > 0
  ? html`<h2>Segments</h2><ul class="plain">${flag.segments.map((s) => html`<li><span class="key">${s.key}</span>${s.description ? html`: ${s.description}` : ''}${s.conditions ? html` <span class="muted">(${s.conditions})</span>` : ''}</li>`)}</ul>`
  : ''}
<h2>Code references</h2>
${flag.references.length === 0
  ? html`<p>No code reads this flag.</p>`
  : html`<p>${plural(flag.references.length, 'reference')} in ${plural(files, 'file')}.</p>
<table><thead><tr><th scope="col">Where</th><th scope="col">How</th></tr></thead><tbody>${flag.references.map((r) => html`<tr><td>${ref(r)}</td><td>${r.kind} via ${r.via}</td></tr>`)}</tbody></table>`}
<h2>Spec tests</h2>
${flag.tests.length === 0
  ? html`<p>No spec test evaluates this flag.</p>`
  : html`<table><thead><tr><th scope="col">Case</th><th scope="col">Environment</th><th scope="col">Result</th><th scope="col">Served</th><th scope="col">File</th></tr></thead><tbody>${flag.tests.map(
    (t) => html`<tr><td>${t.name || '(unnamed)'}</td><td>${t.env}</td><td><span class="badge ${t.passed ? 'pass' : 'fail'}">${t.passed ? 'pass' : 'fail'}</span></td><td>${t.got}</td><td>${ref(t.at)}</td></tr>`,
  )}</tbody></table>`}
${flag.status === 'orphaned'
  ? ''
  : html`<h2>History</h2>
${flag.history.length === 0
  ? html`<p>No commit has touched this file yet (or the site was built outside git).</p>`
  : html`<table><thead><tr><th scope="col">Date</th><th scope="col">Author</th><th scope="col">Change</th><th scope="col">Commit</th></tr></thead><tbody>${flag.history.map(
    (c) => html`<tr><td>${c.date}</td><td>${c.author}</td><td>${c.subject}</td><td>${c.url ? html`<a class="key" href="${c.url}">${c.commit.slice(0, 7)}</a>` : html`<span class="key">${c.commit.slice(0, 7)}</span>`}</td></tr>`,
  )}</tbody></table>`}`}
${flag.yaml !== undefined ? html`<h2>Definition</h2><pre><code>${flag.yaml}</code></pre>` : ''}`;
  return page({ title: flag.key, root: '../', body });
}
