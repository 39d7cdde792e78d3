/**
 * The site's one stylesheet. Colours hold WCAG AA contrast (4.5:1 for text) on their backgrounds;
 * states are told by words as well as colour.
 */
export const SITE_CSS = `
:root { --fg: #1b1f24; --muted: #4b5563; --line: #d0d7de; --bg: #ffffff; --panel: #f6f8fa; --link: #0a58ca; --focus: #1f6feb; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--link); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--bg); padding: 8px; }
.skip:focus { left: 8px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.top { background: #24292f; color: #fff; padding: 0 24px; }
.top nav { display: flex; align-items: center; gap: 24px; min-height: 48px; }
.top .brand { font-weight: 700; }
.top ul { display: flex; gap: 16px; list-style: none; margin: 0; padding: 0; }
.top a { color: #fff; text-decoration: none; padding: 4px 2px; }
.top a[aria-current="page"] { border-bottom: 3px solid #fff; }
main { padding: 16px 24px 48px; max-width: 1600px; }
main:focus { outline: none; }
h1 { font-size: 1.6rem; margin: 8px 0; }
h2 { font-size: 1.25rem; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 1.05rem; margin: 16px 0 4px; }
.muted { color: var(--muted); }
.summary { color: var(--muted); margin: 4px 0 16px; }
form.filters { display: flex; flex-wrap: wrap; gap: 12px 20px; align-items: flex-end; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 12px; }
form.filters label { display: block; font-size: .85rem; color: var(--muted); }
form.filters input[type="search"] { width: 260px; }
form.filters input, form.filters select, button { font: inherit; padding: 4px 8px; border: 1px solid #8c959f; border-radius: 4px; background: #fff; color: var(--fg); }
fieldset { border: 0; margin: 0; padding: 0; }
fieldset legend { font-size: .85rem; color: var(--muted); padding: 0; }
fieldset label { display: inline-block !important; margin-right: 10px; color: var(--fg) !important; font-size: .95rem !important; }
button { cursor: pointer; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { font-size: .85rem; color: var(--muted); white-space: nowrap; }
th button { border: 0; background: none; padding: 0; color: inherit; font-weight: 600; }
th[aria-sort="ascending"] button::after { content: " ▲"; }
th[aria-sort="descending"] button::after { content: " ▼"; }
td.num, th.num { text-align: right; white-space: nowrap; }
.key { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-weight: 600; }
.desc { color: var(--muted); font-size: .9rem; display: block; max-width: 42ch; }
#flags td:first-child { min-width: 13rem; }
#flags td, #flags th { padding: 6px 6px; }
#flags .desc { max-width: 36ch; }
.table-wrap { overflow-x: auto; }
#flags .date { display: block; white-space: nowrap; }
#flags .when { display: block; font-size: .85rem; white-space: nowrap; }
#flags td:first-child .key { white-space: nowrap; }
#flags td { font-size: .92rem; }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; margin: 1px 2px 1px 0; font-size: .8rem; font-weight: 600; white-space: nowrap; }
.state-on { background: #dafbe1; color: #0f5323; }
.state-off { background: #eaeef2; color: #32383f; }
.state-partial { background: #ddf4ff; color: #0a3069; }
.tag-expired, .tag-invalid, .fail { background: #ffebe9; color: #82071e; }
.tag-expiring { background: #fff8c5; color: #6b4500; }
.tag-stale { background: #fbefff; color: #6e2b8f; }
.tag-unused { background: #eaeef2; color: #32383f; }
.tag-orphaned { background: #ffe2cc; color: #762c00; }
.pass { background: #dafbe1; color: #0f5323; }
.overdue { color: #82071e; font-weight: 600; }
.soon { color: #6b4500; font-weight: 600; }
.words { font-size: .9rem; }
.pager { display: flex; gap: 12px; align-items: center; margin: 12px 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 12px 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 12px; overflow: auto; font-size: .85rem; }
ol.rules li, ul.plain li { margin: 2px 0; }
.env { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; margin: 8px 0; }
svg.chart { max-width: 640px; width: 100%; height: auto; display: block; margin: 8px 0; }
svg.chart.wide { max-width: 960px; }
svg .grid { stroke: #d0d7de; stroke-width: 1; }
svg .axis { font-size: 11px; fill: #4b5563; }
svg .value { font-size: 11px; fill: #0a3069; font-weight: 600; }
svg .step { fill: none; stroke: #0969da; stroke-width: 2.5; }
svg .stage { fill: #0969da; }
svg .today { stroke: #cf222e; stroke-width: 1.5; stroke-dasharray: 4 3; }
svg .today-label { font-size: 11px; fill: #82071e; font-weight: 600; }
svg .bar.overdue { fill: #cf222e; }
svg .bar.soon { fill: #bf8700; }
svg .bar.later { fill: #0969da; }
.legend span { margin-right: 14px; }
.legend .later { color: #0550ae; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9da7b3; --line: #30363d; --bg: #0d1117; --panel: #161b22; --link: #6cb6ff; --focus: #6cb6ff; }
  form.filters input, form.filters select, button { background: #0d1117; color: var(--fg); border-color: #6e7681; }
  svg .axis { fill: #9da7b3; }
  svg .grid { stroke: #30363d; }
  svg .value { fill: #6cb6ff; }
  svg .today-label { fill: #ff7b72; }
  .overdue, .legend .overdue { color: #ff7b72; }
  .soon, .legend .soon { color: #e3b341; }
  .legend .later { color: #6cb6ff; }
  .top { background: #010409; }
}
`;
