import { escapeHtml, raw, type Html } from './html.js';

const DAY = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const round = (n: number) => Math.round(n * 10) / 10;

/**
 * A dated rollout on a time axis: the share served as a step line, each stage marked, today as a
 * dashed line. Drawn at build time as SVG (no script, no chart library in the page); the stages are
 * also listed as text next to it for screen readers.
 */
export function rolloutChart(stages: ReadonlyArray<{ at: string; percentage: number }>, now: number, label: string): Html {
  const [width, height, left, right, top, bottom] = [640, 150, 44, 16, 14, 34];
  const times = stages.map((s) => Date.parse(s.at));
  const start = Math.min(times[0]!, now) - DAY;
  const end = Math.max(times.at(-1)!, now) + DAY;
  const x = (t: number) => round(left + ((t - start) / (end - start)) * (width - left - right));
  const y = (p: number) => round(top + (1 - p / 100) * (height - top - bottom));
  let path = `M${x(start)},${y(0)}`;
  stages.forEach((s, i) => {
    path += ` H${x(times[i]!)} V${y(s.percentage)}`;
  });
  path += ` H${x(end)}`;
  const grid = [0, 50, 100]
    .map((p) => `<line class="grid" x1="${left}" x2="${width - right}" y1="${y(p)}" y2="${y(p)}"/><text class="axis" x="${left - 6}" y="${y(p) + 4}" text-anchor="end">${p}%</text>`)
    .join('');
  const marks = stages
    .map((s, i) => {
      const cx = x(times[i]!);
      return `<circle class="stage" cx="${cx}" cy="${y(s.percentage)}" r="4"><title>${escapeHtml(`${s.percentage}% from ${s.at}`)}</title></circle>`
        + `<text class="axis" x="${cx}" y="${height - bottom + 16}" text-anchor="middle">${day(times[i]!).slice(5)}</text>`
        + `<text class="value" x="${cx + 6}" y="${y(s.percentage) - 6}">${s.percentage}%</text>`;
    })
    .join('');
  const today = x(now);
  return raw(
    `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(label)}" focusable="false">`
    + grid
    + `<path class="step" d="${path}"/>${marks}`
    + `<line class="today" x1="${today}" x2="${today}" y1="${top - 4}" y2="${height - bottom}"/>`
    + `<text class="today-label" x="${today}" y="${height - 4}" text-anchor="middle">today</text>`
    + '</svg>',
  );
}

export interface ExpiryPoint {
  expires: string;
}

/**
 * How many flags expire in each week (or month, over more than two years), overdue ones apart,
 * with today marked. One bar per period keeps the drawing small with 10,000 flags.
 */
export function expiryChart(points: readonly ExpiryPoint[], now: number, soonDays: number): Html {
  if (points.length === 0) return raw('');
  const today = Date.parse(`${day(now)}T00:00:00Z`);
  const times = points.map((p) => Date.parse(`${p.expires}T00:00:00Z`));
  const first = Math.min(today, ...times);
  const last = Math.max(today, ...times);
  const monthly = last - first > 2 * 366 * DAY;
  const periodStart = (t: number) => {
    const d = new Date(t);
    if (monthly) return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    return t - ((d.getUTCDay() + 6) % 7) * DAY;
  };
  const next = (t: number) => {
    if (!monthly) return t + 7 * DAY;
    const d = new Date(t);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  };
  const periods: number[] = [];
  for (let t = periodStart(first); t <= last; t = next(t)) periods.push(t);
  // Per period, how many are overdue (today or before is past the last day), due soon, or later: stacked.
  const kinds = ['overdue', 'soon', 'later'] as const;
  const counts = new Map<number, [number, number, number]>();
  for (const t of times) {
    const kind = t < today ? 0 : t <= today + soonDays * DAY ? 1 : 2;
    const period = periodStart(t);
    const tally = counts.get(period) ?? [0, 0, 0];
    tally[kind]++;
    counts.set(period, tally);
  }
  const max = Math.max(...[...counts.values()].map(([a, b, c]) => a + b + c));
  const [width, height, left, right, top, bottom] = [960, 200, 40, 12, 12, 36];
  const span = next(periods.at(-1)!) - periods[0]!;
  const x = (t: number) => round(left + ((t - periods[0]!) / span) * (width - left - right));
  const y = (n: number) => round(top + (1 - n / max) * (height - top - bottom));
  const bars = [...counts.entries()]
    .map(([p, tally]) => {
      const name = monthly ? day(p).slice(0, 7) : `week of ${day(p)}`;
      const w = Math.max(1, round(x(next(p)) - x(p) - 1));
      let below = 0;
      return kinds
        .map((kind, i) => {
          const n = tally[i]!;
          if (n === 0) return '';
          const rect = `<rect class="bar ${kind}" x="${x(p)}" y="${y(below + n)}" width="${w}" height="${round(y(below) - y(below + n))}"><title>${escapeHtml(`${name}: ${n} flag${n === 1 ? '' : 's'} ${kind === 'overdue' ? 'overdue' : kind === 'soon' ? `due within ${soonDays} days` : 'due later'}`)}</title></rect>`;
          below += n;
          return rect;
        })
        .join('');
    })
    .join('');
  const ticks: string[] = [];
  const every = Math.max(1, Math.ceil(periods.length / 12));
  periods.forEach((p, i) => {
    if (i % every === 0) ticks.push(`<text class="axis" x="${x(p)}" y="${height - bottom + 16}">${monthly ? day(p).slice(0, 7) : day(p).slice(2)}</text>`);
  });
  const t = x(today);
  const overdue = times.filter((v) => v < today).length;
  const label = `${points.length} flags with an expiry date; ${overdue} overdue; counted per ${monthly ? 'month' : 'week'}, today marked`;
  return raw(
    `<svg class="chart wide" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(label)}" focusable="false">`
    + `<line class="grid" x1="${left}" x2="${width - right}" y1="${y(max)}" y2="${y(max)}"/><text class="axis" x="${left - 6}" y="${y(max) + 4}" text-anchor="end">${max}</text>`
    + `<line class="grid" x1="${left}" x2="${width - right}" y1="${y(0)}" y2="${y(0)}"/><text class="axis" x="${left - 6}" y="${y(0) + 4}" text-anchor="end">0</text>`
    + bars
    + ticks.join('')
    + `<line class="today" x1="${t}" x2="${t}" y1="${top - 4}" y2="${height - bottom}"/><text class="today-label" x="${t}" y="${height - 2}" text-anchor="middle">today</text>`
    + '</svg>',
  );
}
