import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { FLAG_KEY_PATTERN, FLAG_TYPES, type FlagType } from '../../core/definition/model.js';
import { newFlagText } from '../../core/definition/scaffold.js';
import { RESERVED_NAMES, SCHEMA_URLS, VARIANT_NAME_PATTERN } from '../../core/definition/schema/common.js';
import { keyFromFile, validateFlagText } from '../../core/definition/validate/validate-flags.js';
import { ownersOf, parseCodeowners } from '../../core/shared/codeowners.js';
import { gitUser } from '../../files/git.js';
import { displayPath, listYaml } from '../../files/read-flag-files.js';
import type { ParsedArgs } from '../command.js';
import { EXIT, type Io, UsageError } from '../io.js';
import { nowOf } from '../now.js';
import { loadProject, type Project } from './project.js';

const keyPattern = new RegExp(FLAG_KEY_PATTERN);

/** `<area>/<key>` → the folder below paths.flags and the key; refuses what could not be a flag file. */
function parseName(name: string): { area: string; key: string } {
  const parts = name.replace(/\.ya?ml$/i, '').split('/');
  const key = parts.pop() ?? '';
  for (const part of parts) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(part) || part === '..') {
      throw new UsageError(`"${part}" is not a folder name flagops creates (letters, digits, "_", "." and "-").`, 'For example: flagops new checkout/express-pay');
    }
  }
  if (!keyPattern.test(key)) {
    throw new UsageError(
      `"${key}" is not a valid flag key: letters, digits, "_", "." and "-", starting with a letter or digit (at most 128).`,
      'For example: flagops new checkout/express-pay',
    );
  }
  if (RESERVED_NAMES.includes(key)) throw new UsageError(`"${key}" would shadow a member of every JavaScript object; pick another key.`);
  return { area: parts.join('/'), key };
}

/** Every flag file's key (lowercased) → its path, to refuse a key that exists in any case. */
function existingKeys(folder: string): Map<string, string> {
  const paths = existsSync(folder) ? listYaml(folder) : [];
  return new Map(paths.map((path) => [keyFromFile(path).toLowerCase(), path]));
}

/** The owner CODEOWNERS gives the new file, else the git user's e-mail. */
function suggestOwner(project: Project, file: string): string | undefined {
  for (const place of ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS']) {
    const path = join(project.root, place);
    if (!existsSync(path)) continue;
    const owners = ownersOf(parseCodeowners(readFileSync(path, 'utf8')), relative(project.root, file).split(sep).join('/'));
    if (owners[0]) return owners[0];
  }
  return gitUser(project.root);
}

/** The schema for the editor modeline: the installed package's, this repository's, else the published one. */
function schemaFor(project: Project, file: string): string {
  for (const candidate of ['node_modules/flagops/schema/flag.schema.json', 'schema/flag.schema.json']) {
    const path = join(project.root, candidate);
    if (existsSync(path)) return relative(dirname(file), path).split(sep).join('/');
  }
  return SCHEMA_URLS.flag;
}

interface Answers {
  type: FlagType;
  owner: string;
  description: string;
  split?: Array<[variant: string, weight: number]>;
}

const variantPattern = new RegExp(VARIANT_NAME_PATTERN);

/** `--variants control,a,b` with `--split 34,33,33` (default: as even as whole numbers allow, the rest to the first). */
function parseSplit(variants: string, split: string | undefined): Array<[string, number]> {
  const names = variants.split(',').map((v) => v.trim()).filter(Boolean);
  if (names.length < 2) throw new UsageError(`--variants takes two or more names, not "${variants}".`, 'For example: --variants control,treatment');
  for (const name of names) {
    if (!variantPattern.test(name)) throw new UsageError(`"${name}" is not a variant name: letters, digits, "_", "." and "-", starting with a letter or digit.`);
  }
  if (new Set(names).size !== names.length) throw new UsageError(`--variants names a variant twice: ${variants}.`);
  if (names.length > 100) throw new UsageError('--variants names more than 100 variants: a split gives each at least 1%.');
  if (split === undefined) {
    const even = Math.floor(100 / names.length);
    return names.map((name, i) => [name, even + (i < 100 - even * names.length ? 1 : 0)]);
  }
  const weights = split.split(',').map((w) => Number(w.trim()));
  if (weights.length !== names.length || weights.some((w) => !Number.isFinite(w) || w < 0 || w > 100)) {
    throw new UsageError(`--split takes one weight from 0 to 100 per variant (${names.length}), not "${split}".`, `For example: --split ${parseSplit(variants, undefined).map(([, w]) => w).join(',')}`);
  }
  const sum = weights.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 100) > 1e-9) throw new UsageError(`The weights of --split sum to ${sum}, not 100.`, `For example: --split ${parseSplit(variants, undefined).map(([, w]) => w).join(',')}`);
  return names.map((name, i) => [name, weights[i]!]);
}

/** What the options did not say: asked on a terminal, an error elsewhere (CI never waits for input). */
async function complete(args: ParsedArgs, io: Io, suggestedOwner: string | undefined): Promise<Answers> {
  const type = args.values.type as string | undefined;
  if (type !== undefined && !(FLAG_TYPES as readonly string[]).includes(type)) {
    throw new UsageError(`Unknown type "${type}".`, `Use one of: ${FLAG_TYPES.join(', ')}.`);
  }
  const given = {
    type: type as FlagType | undefined,
    owner: args.values.owner as string | undefined,
    description: args.values.description as string | undefined,
  };
  const variants = args.values.variants as string | undefined;
  const weights = args.values.split as string | undefined;
  if (weights !== undefined && variants === undefined) throw new UsageError('--split weighs the variants --variants names: give both.', 'For example: --variants control,a,b --split 34,33,33');
  const interactive = io.stdinTTY === true && io.isTTY && args.values.yes !== true;
  if (!interactive) {
    const missing = [...(given.description === undefined ? ['--description'] : []), ...(given.owner === undefined && !suggestedOwner ? ['--owner'] : [])];
    if (missing.length > 0) {
      throw new UsageError(`Say ${missing.join(' and ')}: flagops asks only on a terminal.`, 'For example: --description "One-page checkout" --owner @acme/payments');
    }
    const kind = given.type ?? 'release';
    // An experiment compares variants: without --variants, a control and a treatment, half and half.
    const split = variants !== undefined ? parseSplit(variants, weights) : kind === 'experiment' ? parseSplit('control,treatment', undefined) : undefined;
    return { type: kind, owner: given.owner ?? suggestedOwner!, description: given.description!, ...(split ? { split } : {}) };
  }
  const { input, select } = await import('@inquirer/prompts');
  const chosen: FlagType = given.type ?? (await select({ message: 'Type', choices: FLAG_TYPES.map((t) => ({ value: t, name: t })), default: 'release' }));
  const description = given.description ?? (await input({ message: 'What does it control?', required: true }));
  const owner = given.owner ?? (await input({ message: 'Owner (@handle, @org/team or e-mail)', required: true, ...(suggestedOwner ? { default: suggestedOwner } : {}) }));
  let split: Answers['split'];
  if (variants !== undefined) split = parseSplit(variants, weights);
  else if (chosen === 'experiment') {
    const names = await input({ message: 'Variants, the control first', default: 'control,treatment', validate: (v) => tryParse(() => parseSplit(v, undefined)) });
    const even = parseSplit(names, undefined).map(([, w]) => w).join(',');
    split = parseSplit(names, await input({ message: 'Split (weights summing to 100)', default: even, validate: (w) => tryParse(() => parseSplit(names, w)) }));
  }
  return { type: chosen, description, owner, ...(split ? { split } : {}) };
}

/** A prompt's validation: true, or the message of what is wrong. */
function tryParse(parse: () => unknown): true | string {
  try {
    parse();
    return true;
  } catch (error) {
    return (error as Error).message;
  }
}

/** What `flagops new` does with its arguments. */
export async function runNew(args: ParsedArgs, io: Io): Promise<number> {
  const format = String(args.values.format);
  if (format !== 'text' && format !== 'json') throw new UsageError(`Unknown format "${format}".`, 'Use text or json.');
  const [name, ...extra] = args.positionals;
  if (!name || extra.length > 0) throw new UsageError('Name one flag: flagops new [<area>/]<key>.', 'For example: flagops new checkout/express-pay');
  const project = loadProject(io.cwd, args.values.config as string | undefined);
  const { area, key } = parseName(name);
  const folder = resolve(project.root, project.config.paths.flags);
  const file = join(folder, area, `${key}.yaml`);
  const clash = existingKeys(folder).get(key.toLowerCase());
  if (clash) {
    throw new UsageError(`A flag "${key}" exists already: ${displayPath(io.cwd, clash)} (keys are compared ignoring case).`, 'Pick another key, or edit that file.');
  }
  const answers = await complete(args, io, suggestOwner(project, file));
  const today = new Date(nowOf(args, io)).toISOString().slice(0, 10);
  const text = newFlagText({ ...answers, today, schema: schemaFor(project, file) }, project.config);
  const shown = displayPath(io.cwd, file);
  // What is written must pass flagops check as it stands (an owner in the wrong form, a key the
  // house style refuses): say so before writing anything.
  const problems = validateFlagText({ file: shown, text }, project.config).diagnostics.filter((d) => d.severity === 'error');
  if (problems.length > 0) {
    throw new UsageError(`${shown} would not be valid: ${problems.map((d) => d.message).join(' ')}`, problems[0]?.hint);
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text, { flag: 'wx' });
  if (format === 'json') {
    const { split, ...rest } = answers;
    io.stdout(`${JSON.stringify({ command: 'new', file: shown, key, ...rest, ...(split ? { split: Object.fromEntries(split) } : {}), created: today })}\n`);
    return EXIT.ok;
  }
  const envs = Object.keys(project.config.environments);
  io.stdout(
    [
      answers.split
        ? `Created ${shown}: ${answers.type}, owner ${answers.owner}, split ${answers.split.map(([v, w], i) => `${v} ${w}%${i === 0 ? ' (the control)' : ''}`).join(' / ')}, off in ${envs.join(' and ')}.`
        : `Created ${shown}: ${answers.type}, owner ${answers.owner}, off in ${envs.join(' and ')}.`,
      'Next:',
      answers.split
        ? `  1. Turn it on where it should run: environments.${envs[0]}.enabled: true`
        : `  1. Turn it on where it should be, e.g. environments.${envs[0]}: { enabled: true, serve: on }`,
      answers.split
        ? `  2. Read it in code: flags.getVariant('${key}', { userId: user.id })   // '${answers.split.map(([v]) => v).join('\' | \'')}'`
        : `  2. Read it in code: flags.isEnabled('${key}', { userId: user.id })`,
      '  3. flagops check, then open a pull request: the review is the release.',
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}
