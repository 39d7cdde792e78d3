import { describe, expect, it } from 'vitest';
import { fixture, flagopsJson, where } from '../helpers/cli.js';

/**
 * One scenario, one folder under test/fixtures/validate/. Each row: the exact file:line:col, severity
 * and code of every diagnostic, and words the first message must contain.
 */
const scenarios: Array<[scenario: string, exit: number, diagnostics: string[], message?: RegExp]> = [
  // Bad input
  ['malformed-yaml', 1, ['flags/broken.yaml:8:3 error yaml-syntax'], /Invalid YAML: Flow sequence/],
  ['duplicate-mapping-key', 1, ['flags/dup.yaml:8:3 error yaml-duplicate-key'], /Duplicate key "staging"/],
  ['alias-bomb', 1, ['flags/bomb.yaml:6:8 error yaml-alias-limit'], /alias bomb/],
  ['unknown-alias', 1, ['flags/alias.yaml:7:15 error yaml-syntax'], /Unknown alias \*nope: no anchor &nope/],
  ['multiple-documents', 1, ['flags/multi.yaml:2:1 error yaml-syntax'], /a flag file holds exactly one flag/],
  ['tab-indent', 1, ['flags/tabs.yaml:7:1 error yaml-syntax'], /Tabs are not allowed/],
  [
    'invalid-utf8',
    1,
    ['flags/latin1.yaml:3:12 error file-encoding'],
    /not valid UTF-8: byte 0xe9 at offset 62/,
  ],
  ['empty-file', 1, ['flags/empty.yaml:1:1 error file-empty'], /empty/],
  ['comment-only', 1, ['flags/comments.yaml:1:1 error file-empty'], /empty/],
  [
    'root-not-mapping',
    1,
    ['flags/list.yaml:1:1 error wrong-type'],
    /The flag must be a mapping; found a list/,
  ],
  [
    'proto-keys',
    1,
    ['flags/proto.yaml:6:1 error unknown-field', 'flags/proto.yaml:8:3 error reserved-name'],
    /Unknown field "__proto__" in the flag/,
  ],
  ['empty-folder', 0, ['flags:1:1 warning flags-dir-empty'], /No flag files/],
  // Schema
  // The misspelt field is also missing; one mistake gets one report.
  ['unknown-field', 1, ['flags/typo.yaml:8:5 error unknown-field'], /Unknown field "enabeld".*Did you mean "enabled"\?/],
  ['missing-field', 1, ['flags/no-owner.yaml:1:1 error missing-field'], /Missing required field "owner"/],
  ['yes-is-not-true', 1, ['flags/yes.yaml:7:14 error wrong-type'], /must be a boolean; found the string "yes"/],
  [
    'wrong-type',
    1,
    ['flags/yes-string.yaml:7:23 error wrong-type'],
    /must be a boolean; found the string "yes"/,
  ],
  [
    'invalid-enum',
    1,
    ['flags/relase.yaml:3:7 error invalid-value'],
    /found "relase". Did you mean "release"\?/,
  ],
  ['invalid-date', 1, ['flags/bad-date.yaml:4:10 error invalid-value'], /a date like .*found "2026-02-30"/],
  [
    'serve-shape',
    1,
    ['flags/two-serves.yaml:9:5 error invalid-value'],
    /exactly one of "percentage", "split" or "rollout"; found "percentage" and "split"/,
  ],
  [
    'rule-without-condition',
    1,
    ['flags/no-match.yaml:10:9 error invalid-value'],
    /at least one of "users", "groups", "when" or "segments"/,
  ],
  ['reserved-name', 1, ['flags/reserved.yaml:6:35 error reserved-name'], /"prototype" is a reserved name/],
  [
    'numeric-variant-names',
    1,
    [
      'flags/numbers.yaml:6:13 error invalid-name',
      'flags/numbers.yaml:6:21 error invalid-name',
      'flags/numbers.yaml:7:13 error invalid-value',
      'flags/numbers.yaml:9:47 error invalid-name',
      'flags/numbers.yaml:9:56 error invalid-name',
    ],
    /"2" is not a valid name in variants: .*not digits only/,
  ],
  ['out-of-range', 1, ['flags/too-much.yaml:7:50 error out-of-range'], /must be at most 100; found 120/],
  // Semantic rules
  [
    'invalid-key',
    1,
    ['flags/new checkout!.yaml:1:1 error invalid-key'],
    /"new checkout!", which is not a valid/,
  ],
  [
    'key-mismatch',
    1,
    ['flags/new-checkout.yaml:1:6 error key-mismatch'],
    /says "new-checkout-v2" but the file/,
  ],
  [
    'duplicate-flag-key',
    1,
    ['flags/a/dark-mode.yaml:1:1 error duplicate-flag-key', 'flags/b/dark-mode.yml:1:1 error duplicate-flag-key'],
    /"dark-mode" is also defined by flags\/b\/dark-mode.yml/,
  ],
  [
    'case-clash',
    1,
    ['flags/mobile/NewCheckout.yaml:1:1 error duplicate-flag-key', 'flags/web/newCheckout.yaml:1:1 error duplicate-flag-key'],
    /"NewCheckout" is also defined by flags\/web\/newCheckout.yaml \(keys are compared ignoring case: they collide on case-insensitive file systems\)/,
  ],
  ['key-style', 1, ['flags/newCheckout.yaml:1:1 error key-style'], /"newCheckout" is not kebab-case, which keys.style: kebab in the configuration asks for/],
  [
    'expires-before-created',
    1,
    ['flags/backwards.yaml:5:10 error expires-before-created'],
    /expires \(2026-11-01\) must be after created \(2026-11-10\)/,
  ],
  [
    'expires-required',
    1,
    ['flags/forever-release.yaml:3:7 error expires-required'],
    /A release flag must say/,
  ],
  [
    'expires-too-far',
    1,
    ['flags/long-experiment.yaml:5:10 error expires-too-far'],
    /at most 40 days, but expires \(2027-05-01\) is 172 days after created/,
  ],
  ['owner-format', 1, ['flags/no-owner-handle.yaml:2:8 error owner-format'], /found "payments team"/],
  [
    'unknown-variant',
    1,
    ['flags/pricing.yaml:12:29 error unknown-variant'],
    /"compakt".*Did you mean "compact"\?/,
  ],
  ['non-finite', 1, ['flags/limits.yaml:7:14 error invalid-value'], /variants\.unlimited is \.inf \(infinite\); flagops files hold finite numbers only/],
  ['reserved-key', 1, ['flags/constructor.yaml:1:1 error invalid-key'], /flag key "constructor", which would shadow a member of every JavaScript object/],
  ['multi-line-name', 1, ['flags/checkout.yaml:9:15 error invalid-value'], /rules\[0\]\.name must be one line of text, without line breaks or control characters/],
  // "of" is as far from "on" as from "off"; the one that keeps what was typed wins.
  ['variant-cut-short', 1, ['flags/dark-mode.yaml:6:39 error unknown-variant'], /"of".*Did you mean "off"\?/],
  ['metadata-reserved', 1, ['flags/checkout.yaml:7:3 error metadata-reserved'], /metadata name "type" is set by flagops itself/],
  ['metadata-value', 1, ['flags/checkout.yaml:7:15 error wrong-type'], /metadata\.dashboards must be a string or a number or a boolean; found a mapping/],
  [
    'variant-type',
    1,
    ['flags/mixed.yaml:6:28 error variant-type'],
    /"off" is a string but "on" is a boolean/,
  ],
  [
    'kill-switch-not-boolean',
    1,
    ['flags/payments.yaml:5:1 error variant-type'],
    /kill-switch flag must have boolean/,
  ],
  ['percentage-precision', 1, ['flags/precise.yaml:7:50 error percentage-precision'], /found 33.333/],
  ['split-sum', 1, ['flags/split.yaml:12:7 error split-sum'], /add up to 90; they must add up to 100/],
  [
    'stage-order',
    1,
    ['flags/stages.yaml:13:19 error stage-order', 'flags/stages.yaml:14:53 error stage-order'],
    /Stage 2 starts at 2026-11-18T09:00:00Z, not after stage 1/,
  ],
  [
    'unknown-environment',
    1,
    ['flags/prod.yaml:7:3 error unknown-environment'],
    /"prodction" is not declared. Did you mean "production"\?/,
  ],
  ['missing-serve', 1, ['flags/rules-only.yaml:7:3 error missing-serve'], /enabled but does not say/],
  [
    'invalid-condition',
    1,
    [
      'flags/versions.yaml:12:61 error invalid-condition',
      'flags/versions.yaml:13:56 error invalid-condition',
    ],
    /semver_gte compares semantic versions; found "3.2"/,
  ],
  // Configuration
  ['custom-config', 0, []],
  ['config-secret', 0, ['flagops.config.yaml:5:12 warning config-secret'], /holds a password, and this file is committed to git/],
  ['valid-minimal', 0, []],
  [
    'broken-config',
    2,
    ['flagops.config.yaml:4:3 error unknown-field'],
    /"maxFileBytez" in limits. Did you mean/,
  ],
];

describe('flagops validate, one scenario per fixture folder', () => {
  it.each(scenarios)('%s', (scenario, exit, expected, message) => {
    const { code, json, stderr } = flagopsJson(['validate'], fixture('validate', scenario));
    expect(stderr).toBe('');
    expect(json.diagnostics.map(where)).toEqual(expected);
    if (message) expect(json.diagnostics[0]?.message).toMatch(message);
    for (const d of json.diagnostics) expect(d.hint ?? d.message).not.toMatch(/\bat (Object|Module|file:)/);
    expect(code).toBe(exit);
  });
});
