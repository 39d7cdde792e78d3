import type { Config } from '../config.js';
import type { Diagnostic, Severity } from '../../shared/diagnostic.js';
import type { PathSegment, SourceMap } from '../load/source-map.js';
import type { FlagDocument } from '../model.js';

export interface ReportOptions {
  /** Point at the mapping key rather than its value. */
  part?: 'key' | 'value';
  hint?: string;
}

export interface RuleContext {
  file: string;
  /** The flag key, from the file name. */
  key: string;
  config: Config;
  report(path: readonly PathSegment[], message: string, options?: ReportOptions): void;
}

/** A semantic rule over one flag that already passed the schema. */
export interface FlagRule {
  code: string;
  severity: Severity;
  /** One line for docs and SARIF rule metadata. */
  description: string;
  check(flag: FlagDocument, ctx: RuleContext): void;
}

export function ruleContext(
  rule: FlagRule,
  base: { file: string; key: string; config: Config; sourceMap: SourceMap },
  sink: Diagnostic[],
): RuleContext {
  return {
    file: base.file,
    key: base.key,
    config: base.config,
    report(path, message, options = {}) {
      sink.push({
        severity: rule.severity,
        code: rule.code,
        file: base.file,
        ...base.sourceMap.locate(path, options.part ?? 'value'),
        message,
        flag: base.key,
        ...(options.hint ? { hint: options.hint } : {}),
      });
    },
  };
}
