import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { explainPlaces, type ExplainTarget, type MentionInput, type Place } from '../../core/lifecycle/scan/findings/explain.js';
import { mayRead } from '../../core/lifecycle/scan/resolve/may-read.js';
import type { CallPattern } from '../../core/lifecycle/scan/patterns/patterns.js';
import { readBounded } from '../../files/read-bounded.js';
import { displayPath } from '../../files/read-flag-files.js';
import { UsageError } from '../io.js';
import type { ScanRun } from './scan.js';
import { languageOfFile } from '../../scan/discover/language-files.js';

/** `--explain new-checkout` or `--explain src/app.ts:12`: a file:line when the part before the colon is a file. */
export function explainTarget(value: string, cwd: string): ExplainTarget {
  const m = /^(.+):(\d+)$/.exec(value);
  if (m && existsSync(resolve(cwd, m[1]!))) return { file: displayPath(cwd, resolve(cwd, m[1]!)), line: Number(m[2]) };
  if (m) throw new UsageError(`--explain ${value}: there is no file ${m[1]}.`, 'Give a flag key (--explain new-checkout) or a source line (--explain src/app.ts:12).');
  return { flag: value };
}

export interface Explanation {
  target: ExplainTarget;
  places: Place[];
}

/** Every place the scan considered for the target, with the key's other mentions in the scanned files. */
export async function explain(
  run: ScanRun,
  target: ExplainTarget,
  defined: ReadonlySet<string>,
  cwd: string,
  maxFileBytes: number,
): Promise<Explanation> {
  const { findMentions } = await import('../../scan/facts/typescript/mentions.js');
  const { findTreeMentions } = await import('../../scan/facts/tree-mentions.js');
  const texts = new Map<string, string>();
  const text = (file: string) => {
    if (!texts.has(file)) {
      const read = readBounded(resolve(cwd, file), maxFileBytes);
      texts.set(file, 'bytes' in read ? read.bytes.toString('utf8') : '');
    }
    return texts.get(file)!;
  };
  const mentions: MentionInput[] = [];
  const files = 'flag' in target ? run.paths.map((p) => displayPath(cwd, p)) : [target.file];
  const flags = 'flag' in target ? [target.flag] : [...defined];
  for (const file of files) {
    const language = languageOfFile(file);
    const found = language === undefined || language === 'typescript' ? findMentions(file, text(file), flags) : await findTreeMentions(file, text(file), flags, language);
    for (const m of found) if ('flag' in target || m.line === target.line) mentions.push({ ...m, file });
  }
  const patterns = new Map<string, CallPattern>([...run.patterns.calls, ...run.wrappers].map((p) => [p.name, p]));
  const places = explainPlaces(target, {
    references: run.references,
    dropped: run.dropped,
    mentions,
    patterns,
    configured: new Set(run.patterns.configured ?? []),
    defined,
    mayRead: (r, flag) => mayRead(r, flag, text(r.file)),
  });
  return { target, places };
}

const STATUS: Record<Place['status'], string> = { counted: 'counted', dynamic: 'dynamic', dropped: 'dropped', 'not-read': 'not read' };

export function explanationText(e: Explanation, scanned: number): string {
  const subject = 'flag' in e.target ? `"${e.target.flag}"` : `${e.target.file}:${e.target.line}`;
  const counted = e.places.filter((p) => p.status === 'counted').length;
  const lines = [`${subject}: ${e.places.length} place${e.places.length === 1 ? '' : 's'} considered in ${scanned.toLocaleString('en-US')} source files, ${counted} counted as ${counted === 1 ? 'a reference' : 'references'}.`];
  for (const p of e.places) {
    lines.push('', `${p.file}:${p.line}:${p.column}  ${STATUS[p.status]}${p.rule ? ` (${p.rule})` : ''}  ${p.text}`, `  ${p.why}`);
    if (p.cleanup) lines.push(`  cleanup leaves this read alone: ${p.cleanup}`);
  }
  if (e.places.length === 0) lines.push('', 'Nothing in the scanned files reads or writes it.');
  return `${lines.join('\n')}\n`;
}
