import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/core/shared/diagnostic.js';
import { formatGithub } from '../../src/report/github.js';

const report = (diagnostics: Diagnostic[]) => ({
  command: 'validate',
  tool: { name: 'flagops', version: '0.0.0' },
  diagnostics,
  files: 1,
});

describe('formatGithub', () => {
  it('escapes workflow-command characters in properties and data', () => {
    const out = formatGithub(
      report([
        {
          severity: 'warning',
          code: 'x',
          file: 'flags/a,b:c.yaml',
          line: 2,
          column: 3,
          message: '100% sure\r\nnext line',
        },
      ]),
    );
    expect(out).toBe(
      '::warning file=flags/a%2Cb%3Ac.yaml,line=2,col=3,title=flagops x::100%25 sure%0D%0Anext line\n',
    );
  });

  it('maps info to notice and leaves out endColumn across lines', () => {
    const out = formatGithub(
      report([
        {
          severity: 'info',
          code: 'y',
          file: 'f',
          line: 1,
          column: 1,
          endLine: 4,
          endColumn: 2,
          message: 'm',
        },
      ]),
    );
    expect(out).toBe('::notice file=f,line=1,col=1,endLine=4,title=flagops y::m\n');
  });
});
