import type { FlagDiff } from '../core/change/diff.js';
import { formatSegmentChange, type SegmentChange } from '../core/change/segment-changes.js';

const MARK = { added: '+', changed: '~', removed: '-' } as const;
const RISK_WORDS: Record<string, string> = {
  'risk-full-rollout': 'jumps to 100%',
  'risk-kill-switch-off': 'kill switch turned off',
  'risk-removed-but-referenced': 'removed but still referenced',
  'risk-owner-changed': 'owner changes',
  'risk-expiry-extended': 'expiry pushed out',
  'risk-rebucketed': 'users re-bucketed',
  'risk-blast-radius': 'many users change',
};

const referencesText = (d: FlagDiff) => {
  if (!d.references) return '';
  if (d.references.count === 0) return 'no code references';
  return `${d.references.count} code reference${d.references.count === 1 ? '' : 's'} in ${d.references.files} file${d.references.files === 1 ? '' : 's'}`;
};

const headline = (d: FlagDiff) => {
  if (d.kind === 'removed' && d.references && d.references.count > 0) {
    return `flag ${d.key} removed — still referenced in ${d.references.files} file${d.references.files === 1 ? '' : 's'}`;
  }
  return d.kind === 'removed' ? `flag ${d.key} removed` : d.key;
};

/** One block per changed flag: per environment what changes for users, then metadata and risks. */
export function formatDiffText(changes: readonly FlagDiff[], range: string, segments: readonly SegmentChange[] = []): string {
  if (changes.length === 0) return `No flag behaviour changes in ${range}.\n`;
  const lines = [`Flag changes in ${range}:`, ''];
  for (const segment of segments) lines.push(`* ${formatSegmentChange(segment)}`);
  if (segments.length > 0) lines.push('');
  for (const d of changes) {
    const refs = referencesText(d);
    lines.push(`${MARK[d.kind]} ${headline(d)}  (${d.file}${refs && d.kind !== 'removed' ? `, ${refs}` : ''})`);
    for (const env of d.environments) for (const detail of env.details) lines.push(`    ${env.environment}: ${detail}`);
    for (const m of d.metadata) if (d.kind !== 'removed') lines.push(`    ${m}`);
    for (const r of d.risks) lines.push(`    ⚠ ${RISK_WORDS[r] ?? r}`);
    lines.push('');
  }
  return `${lines.join('\n')}`;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** For a pull request comment or job summary: one row per flag and environment. */
export function formatDiffMarkdown(changes: readonly FlagDiff[], range: string, segments: readonly SegmentChange[] = []): string {
  if (changes.length === 0) return `#### Flag changes\n\nNo flag behaviour changes in ${range}.\n`;
  const rows = changes.flatMap((d) => {
    const risk = d.risks.map((r) => `⚠️ ${RISK_WORDS[r] ?? r}`).join('<br>');
    const refs = referencesText(d);
    const what = [
      ...d.environments.flatMap((env) => env.details.map((detail) => `**${env.environment}**: ${detail}`)),
      ...(d.kind === 'removed' ? [] : d.metadata),
    ];
    return [`| ${MARK[d.kind]} | \`${d.key}\` | ${cell(what.join('<br>') || (d.kind === 'removed' ? 'removed' : ''))} | ${cell(risk)} | ${refs} |`];
  });
  const segmentLines = segments.map((s) => `- ${formatSegmentChange(s)}`);
  return [
    `#### Flag changes in ${range}`,
    '',
    ...(segmentLines.length > 0 ? [...segmentLines, ''] : []),
    '| | Flag | What changes for users | Risk | Code |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
