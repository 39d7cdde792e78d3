import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatMarkdown } from './markdown.js';
import type { Reporter } from './report.js';
import { formatSarif } from './sarif.js';
import { formatText } from './text.js';

export const FORMATS = ['text', 'json', 'github', 'sarif', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

export function reporterFor(format: Format, options: { color: boolean }): Reporter {
  const reporters: Record<Format, Reporter> = {
    text: (r) => formatText(r, options),
    json: formatJson,
    github: formatGithub,
    sarif: formatSarif,
    markdown: formatMarkdown,
  };
  return reporters[format];
}
