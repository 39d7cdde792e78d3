import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CONFIG_FILE, defaultConfig } from '../../core/definition/config.js';
import { newFlagText } from '../../core/definition/scaffold.js';
import { ENVIRONMENT_NAME_PATTERN, SCHEMA_URLS } from '../../core/definition/schema/common.js';
import { gitUser } from '../../files/git.js';
import type { ParsedArgs } from '../command.js';
import { EXIT, type Io, UsageError } from '../io.js';
import { nowOf } from '../now.js';
import { cleanupWorkflow, guardWorkflow, pullRequestWorkflow, siteWorkflow, syncWorkflow } from './init-workflows.js';
import { findConfig } from './project.js';

/** The Action as the workflows init writes name it: the published repository, by its major tag. */
export const ACTION_REF = 'flagops/flagops@v1';

type Outcome = { path: string; status: 'created' | 'kept' | 'added'; note?: string };

const envPattern = new RegExp(ENVIRONMENT_NAME_PATTERN);

function parseEnvironments(text: string): string[] {
  const names = text.split(/[\s,]+/).filter(Boolean);
  const bad = names.filter((n) => !envPattern.test(n));
  if (names.length === 0 || bad.length > 0) {
    throw new UsageError(
      `${bad.length > 0 ? `"${bad[0]}" is not an environment name` : 'Name at least one environment'}: lowercase letters, digits, "_" and "-", starting with a letter.`,
      'For example: --env staging,production',
    );
  }
  return [...new Set(names)];
}

async function environmentsOf(args: ParsedArgs, io: Io): Promise<string[]> {
  const given = args.values.env as string | undefined;
  if (given !== undefined) return parseEnvironments(given);
  if (io.stdinTTY !== true || !io.isTTY || args.values.yes === true) return ['staging', 'production'];
  const { input } = await import('@inquirer/prompts');
  return parseEnvironments(await input({ message: 'Environments, in the order a change reaches them', default: 'staging, production' }));
}

/** Writes a file that is not there yet; a file that is there is kept as it is. */
function create(root: string, path: string, text: string, note?: string): Outcome {
  const full = join(root, path);
  if (existsSync(full)) return { path, status: 'kept', note: 'already there' };
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text, { flag: 'wx' });
  return { path, status: 'created', ...(note ? { note } : {}) };
}

/** What flagops and a Node project write that is never committed, each with why. */
const IGNORED: Array<[entry: string, why: string]> = [
  ['.flagops/', 'flagops: the embedded file store (flagops sync without Redis), the site it builds locally, cleanup\'s journal'],
  ['node_modules/', 'npm install'],
  ['_site/', 'flagops site --out _site, as the site workflow builds it'],
];

/** .flagops/, node_modules/ and the site's folder in .gitignore, each once. */
function ignoreGenerated(root: string): Outcome {
  const path = join(root, '.gitignore');
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const lines = new Set(text.split(/\r?\n/).map((line) => line.trim().replace(/^\//, '').replace(/\/$/, '')));
  const missing = IGNORED.filter(([entry]) => !lines.has(entry.replace(/\/$/, '')));
  if (missing.length === 0) return { path: '.gitignore', status: 'kept', note: `${IGNORED.map(([e]) => e).join(', ')} are ignored already` };
  const block = missing.map(([entry, why]) => `# ${why}\n${entry}\n`).join('');
  appendFileSync(path, `${text === '' || text.endsWith('\n') ? '' : '\n'}${block}`);
  return { path: '.gitignore', status: 'added', note: missing.map(([e]) => e).join(', ') };
}

function hasFlagFiles(folder: string): boolean {
  try {
    return readdirSync(folder, { recursive: true, encoding: 'utf8' }).some((name) => /\.ya?ml$/i.test(name));
  } catch {
    return false;
  }
}

/** What `flagops init` does with its arguments. */
export async function runInit(args: ParsedArgs, io: Io): Promise<number> {
  const format = String(args.values.format);
  if (format !== 'text' && format !== 'json') throw new UsageError(`Unknown format "${format}".`, 'Use text or json.');
  const root = resolve(io.cwd);
  const existing = findConfig(root);
  const environments = await environmentsOf(args, io);
  const config = { ...defaultConfig(), environments: Object.fromEntries(environments.map((e) => [e, {}])) };
  const outcomes: Outcome[] = [];
  const installed = existsSync(join(root, 'node_modules/flagops/schema/flag.schema.json'));
  const schema = (name: 'flag' | 'config' | 'segment', from: string) => (installed ? `${from}node_modules/flagops/schema/${name}.schema.json` : SCHEMA_URLS[name]);

  if (existing) {
    outcomes.push({ path: existing.slice(root.length + 1) || existing, status: 'kept', note: 'a configuration is there; its environments stay as they are' });
  } else {
    const text = [
      `# yaml-language-server: $schema=${schema('config', './')}`,
      '# flagops: https://github.com/flagops/flagops/blob/main/docs/configuration.md',
      'paths:',
      '  flags: flags',
      '  tests: flag-tests',
      '# Where each environment lives: the workflows pass redis-url from its GitHub environment',
      '# secret; locally, --redis or FLAGOPS_REDIS_URL; without either, the file store .flagops/store/.',
      'environments:',
      ...environments.map((e) => `  ${e}: {}`),
      '',
    ].join('\n');
    outcomes.push(create(root, CONFIG_FILE, text, `environments: ${environments.join(', ')}`));
  }

  if (!hasFlagFiles(join(root, 'flags'))) {
    const text = newFlagText(
      {
        type: 'release',
        owner: gitUser(root) ?? '@your-org/your-team',
        description: 'An example flag: a welcome banner. Turn it on in one environment, or delete this file.',
        today: new Date(nowOf(args, io)).toISOString().slice(0, 10),
        schema: schema('flag', '../../'),
      },
      config,
    );
    outcomes.push(create(root, 'flags/example/welcome-banner.yaml', text));
  } else {
    outcomes.push({ path: 'flags/', status: 'kept', note: 'it holds flag files already' });
  }

  outcomes.push(ignoreGenerated(root));
  const workflow = { action: `${ACTION_REF} # or pin a full commit SHA: docs/security.md`, environments, flags: 'flags', tests: 'flag-tests', config: CONFIG_FILE };
  outcomes.push(create(root, '.github/workflows/flags-pr.yml', pullRequestWorkflow(workflow)));
  outcomes.push(create(root, '.github/workflows/flags-sync.yml', syncWorkflow(workflow)));
  outcomes.push(create(root, '.github/workflows/flags-cleanup.yml', cleanupWorkflow(workflow)));
  outcomes.push(create(root, '.github/workflows/flags-guard.yml', guardWorkflow(workflow)));
  outcomes.push(create(root, '.github/workflows/flags-site.yml', siteWorkflow(workflow)));
  outcomes.push(
    create(
      root,
      '.github/CODEOWNERS',
      [
        '# Who reviews what: the owning team its flags, the platform team what runs with the secrets',
        '# (https://github.com/flagops/flagops/blob/main/docs/security.md). Put in your teams, remove',
        '# the leading #, then require code owner reviews in the branch protection of main.',
        '# /flags/                   @your-org/flag-reviewers',
        '# /flags/checkout/          @your-org/payments',
        '# /flag-tests/              @your-org/flag-reviewers',
        `# /${CONFIG_FILE}      @your-org/platform`,
        '# /.github/                 @your-org/platform',
        '',
      ].join('\n'),
      'an example: set your teams',
    ),
  );
  const settings = {
    'yaml.schemas': {
      [schema('flag', './')]: ['flags/**/*.yaml', 'flags/**/*.yml'],
      [schema('config', './')]: ['flagops.config.yaml', 'flagops.config.yml'],
      [schema('segment', './')]: ['segments/**/*.yaml', 'segments/**/*.yml'],
    },
  };
  const vscode = create(root, '.vscode/settings.json', `${JSON.stringify(settings, null, 2)}\n`, 'schemas for flag and segment files and the configuration');
  if (vscode.status === 'kept') vscode.note = `already there: add "yaml.schemas": ${JSON.stringify(settings['yaml.schemas'])} for completion in flag files`;
  outcomes.push(vscode);

  if (format === 'json') {
    io.stdout(`${JSON.stringify({ command: 'init', environments, files: outcomes })}\n`);
    return EXIT.ok;
  }
  const verb = { created: 'Created', kept: 'Kept   ', added: 'Added  ' } as const;
  const lines = outcomes.map((o) => `${verb[o.status]} ${o.path}${o.note ? ` (${o.note})` : ''}`);
  const changed = outcomes.some((o) => o.status !== 'kept');
  lines.push(
    '',
    changed
      ? [
          'Next:',
          '  npx flagops check                  validate the flags and find them in your code',
          '  npx flagops new <area>/<key>       start a flag',
          `  In GitHub: one FLAGOPS_REDIS_URL secret per environment (${environments.join(', ')}), each restricted to main.`,
          '  The whole setup: https://github.com/flagops/flagops/blob/main/docs/github-setup.md',
        ].join('\n')
      : 'Nothing to do: flagops is set up here.',
    '',
  );
  io.stdout(lines.join('\n'));
  return EXIT.ok;
}
