import { describeMatch, withoutSegmentBodies } from '../../core/change/segment-changes.js';
import { type CompileRefs, compileRefs, compileSegment } from '../../core/serving/compile.js';
import { flagDependents, segmentUsers } from '../../core/serving/graph/reverse-lookup.js';
import { didYouMean } from '../../core/shared/suggest.js';
import type { ParsedArgs } from '../command.js';
import { EXIT, type Io, UsageError } from '../io.js';
import { toolInfo } from '../output.js';
import { brokenConfig } from './project.js';
import { runValidation } from './validation.js';

/** A segment's conditions in words, the segments it names by name: as flags hold it, compiled. */
function conditionsOf(key: string, refs: CompileRefs): string {
  const { segment: _label, ...own } = withoutSegmentBodies(compileSegment(key, refs));
  return describeMatch(own);
}

const where = (environments: string[], all: number) => (environments.includes('*') || environments.length === all ? 'every environment' : environments.join(', '));

/** What `flagops segments` does with its arguments. */
export async function runSegments(args: ParsedArgs, io: Io): Promise<number> {
  const format = String(args.values.format);
  if (format !== 'text' && format !== 'json') throw new UsageError(`Unknown format "${format}".`, 'Use text or json.');
  const run = runValidation(io.cwd, { config: args.values.config as string | undefined });
  if (run.configBroken) throw brokenConfig(run.diagnostics);
  const wanted = args.positionals;
  for (const key of wanted) {
    if (!run.segments.some((s) => s.key === key)) {
      const near = didYouMean(key, run.segments.map((s) => s.key));
      throw new UsageError(`No segment "${key}".`, near ? `Did you mean "${near}"?` : `Segments are the files under ${run.project.config.paths.segments}/.`);
    }
  }
  const environments = Object.keys(run.project.config.environments).length;
  const segments = segmentUsers(run.flags, run.segments).filter((s) => wanted.length === 0 || wanted.includes(s.segment));
  const dependents = wanted.length === 0 ? flagDependents(run.flags) : [];
  const errors = run.diagnostics.filter((d) => d.severity === 'error').length;
  const refs = compileRefs(run.flags, run.segments);
  if (format === 'json') {
    const conditions = new Map(run.segments.map((s) => [s.key, conditionsOf(s.key, refs)]));
    const data = { segments: segments.map((s) => ({ ...s, conditions: conditions.get(s.segment) })), dependents, errors };
    io.stdout(`${JSON.stringify({ tool: toolInfo(), command: 'segments', ...data }, null, 2)}\n`);
  } else {
    const lines: string[] = [];
    if (segments.length === 0 && wanted.length === 0) lines.push(`No segments (${run.project.config.paths.segments}/ holds none).`);
    for (const s of segments) {
      lines.push(`${s.segment}  ${s.owner}  ${s.file}`, `  ${conditionsOf(s.segment, refs)}`);
      if (s.flags.length === 0) lines.push('  used by no flag');
      for (const f of s.flags) {
        lines.push(`  used by ${f.flag} in ${where(f.environments, environments)}${f.through ? ` (through ${f.through.join(' → ')})` : ''}`);
      }
    }
    if (dependents.length > 0) lines.push('', 'Prerequisites:');
    for (const d of dependents) {
      const direct = d.requiredBy.map((r) => `${r.flag} (needs ${r.variant}${r.environments.includes('*') ? '' : ` in ${where(r.environments, environments)}`})`);
      lines.push(`  ${d.flag}  required by ${direct.join(', ')}${d.indirect.length > 0 ? `; through them: ${d.indirect.join(', ')}` : ''}`);
    }
    if (errors > 0) lines.push('', `${errors} error${errors === 1 ? '' : 's'} in the flag or segment files: what did not validate is left out (flagops validate).`);
    io.stdout(`${lines.join('\n')}\n`);
  }
  return errors > 0 ? EXIT.findings : EXIT.ok;
}
