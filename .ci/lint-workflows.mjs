#!/usr/bin/env node
// Lints GitHub workflow files and action.yml without network access: the SchemaStore schemas
// (an actionlint-equivalent structural check, through ajv from npm), plus the rules this project
// holds workflows to: third-party actions pinned by full commit SHA, no pull_request_target,
// top-level least-privilege permissions, `needs` naming jobs that exist, balanced ${{ }}
// expressions, and an action whose `main` file exists. Usage: lint-workflows.mjs [root]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { LineCounter, parseDocument } from 'yaml';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = process.argv[2] ?? join(here, '..');
const schema = (name) => JSON.parse(readFileSync(join(here, 'schemas', name), 'utf8'));
const ajv = new Ajv.default({ strict: false, allErrors: true });
const validateWorkflow = ajv.compile(schema('github-workflow.schema.json'));
const validateAction = ajv.compile(schema('github-action.schema.json'));

const problems = [];
const report = (file, line, message) => problems.push(`${relative(process.cwd(), file) || file}:${line}: ${message}`);

function load(file) {
  const text = readFileSync(file, 'utf8');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  for (const error of doc.errors) report(file, lineCounter.linePos(error.pos[0]).line, `YAML: ${error.message.split('\n')[0]}`);
  const lineOf = (path) => {
    const node = doc.getIn(path, true);
    return node?.range ? lineCounter.linePos(node.range[0]).line : 1;
  };
  return { text, value: doc.toJS(), lineOf };
}

function schemaErrors(file, validate, value, lineOf) {
  if (validate(value)) return;
  for (const e of validate.errors.slice(0, 10)) {
    const path = e.instancePath.split('/').slice(1).map((p) => (/^\d+$/.test(p) ? Number(p) : p.replace(/~1/g, '/')));
    report(file, lineOf(path), `schema: ${e.instancePath || '(root)'} ${e.message}`);
  }
}

function expressions(file, text) {
  text.split('\n').forEach((line, i) => {
    const opens = line.split('${{').length - 1;
    const closes = line.split('}}').length - 1;
    if (opens !== closes) report(file, i + 1, 'unbalanced ${{ }} expression');
  });
}

function usesPinned(file, uses, line) {
  if (typeof uses !== 'string' || uses.startsWith('./') || uses.startsWith('docker://')) return;
  const [, ref] = uses.split('@');
  if (!ref || !/^[0-9a-f]{40}$/.test(ref)) report(file, line, `"${uses}" is not pinned to a full commit SHA (a tag can be moved)`);
}

const workflowsDir = join(root, '.github', 'workflows');
const workflows = existsSync(workflowsDir) ? readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f)) : [];
for (const name of workflows) {
  const file = join(workflowsDir, name);
  const { text, value, lineOf } = load(file);
  if (!value || typeof value !== 'object') continue;
  schemaErrors(file, validateWorkflow, value, lineOf);
  expressions(file, text);
  const on = value.on ?? value[true];
  const events = typeof on === 'string' ? [on] : Array.isArray(on) ? on : Object.keys(on ?? {});
  if (events.includes('pull_request_target')) report(file, lineOf(['on']), 'pull_request_target runs untrusted code with write access: use pull_request');
  if (!('permissions' in value)) report(file, 1, 'no top-level permissions: set the least the workflow needs (e.g. contents: read)');
  else if (value.permissions === 'write-all') report(file, lineOf(['permissions']), 'permissions: write-all is not least privilege');
  const jobs = value.jobs ?? {};
  for (const [id, job] of Object.entries(jobs)) {
    for (const need of [job?.needs ?? []].flat()) {
      if (!(need in jobs)) report(file, lineOf(['jobs', id, 'needs']), `job "${id}" needs "${need}", which is not a job here`);
    }
    if (job?.uses) usesPinned(file, job.uses, lineOf(['jobs', id, 'uses']));
    // A job that reads secrets must not run from a branch anyone can push (workflow_dispatch runs
    // the branch's own workflow file: the environment's branch policy is the wall, this is the sign).
    const readsSecrets = /\$\{\{\s*secrets\./.test(JSON.stringify(job ?? {}));
    const onlyMain = /github\.ref\s*==\s*'refs\/heads\/main'/.test(String(job?.if ?? ''));
    if (readsSecrets && !onlyMain && events.some((e) => e !== 'push')) {
      report(file, lineOf(['jobs', id]), `job "${id}" reads secrets and can be started from any branch: add if: github.ref == 'refs/heads/main' (and restrict its environment to main)`);
    }
    (job?.steps ?? []).forEach((step, i) => usesPinned(file, step?.uses, lineOf(['jobs', id, 'steps', i, 'uses'])));
    releaseRules(file, value, id, job, lineOf);
  }
}

/**
 * Releases: packages are published with provenance, by a job that alone may mint an OIDC token;
 * the Action's major tag is moved only on a tag push, to the major of the tag that was pushed.
 */
function releaseRules(file, workflow, id, job, lineOf) {
  const topIdToken = workflow.permissions && typeof workflow.permissions === 'object' && workflow.permissions['id-token'] === 'write';
  if (topIdToken) report(file, lineOf(['permissions']), 'id-token: write for the whole workflow: grant it to the publishing job only');
  const on = workflow.on ?? workflow[true];
  const tagPushOnly = on && typeof on === 'object' && !Array.isArray(on) && Object.keys(on).length === 1 && on.push?.tags && !on.push?.branches;
  (job?.steps ?? []).forEach((step, i) => {
    const run = String(step?.run ?? '');
    const line = lineOf(['jobs', id, 'steps', i, 'run']);
    if (/\bnpm publish\b/.test(run)) {
      if (!/--provenance\b/.test(run)) report(file, line, 'npm publish without --provenance: publish with provenance');
      if (job?.permissions?.['id-token'] !== 'write') report(file, line, `npm publish in job "${id}", which has no id-token: write (needed for provenance)`);
    }
    if (/\bgit tag\s+(-f|--force)\b/.test(run) || /\bgit push\b[^\n]*(--force|-f)\b[^\n]*refs\/tags/.test(run)) {
      if (!tagPushOnly) report(file, line, 'moves a tag in a workflow that does not run on tag pushes only (on: push: tags)');
      if (!/\$\{?GITHUB_REF_NAME%%\.\*\}?/.test(run)) report(file, line, 'moves a tag that is not the major of the pushed tag (take it from ${GITHUB_REF_NAME%%.*})');
    }
  });
}

const actionFile = ['action.yml', 'action.yaml'].map((n) => join(root, n)).find(existsSync);
if (actionFile) {
  const { text, value, lineOf } = load(actionFile);
  schemaErrors(actionFile, validateAction, value, lineOf);
  expressions(actionFile, text);
  const runs = value?.runs ?? {};
  if (/^node/.test(runs.using ?? '')) {
    if (runs.using !== 'node24') report(actionFile, lineOf(['runs', 'using']), `runs.using is ${runs.using}; GitHub runs JavaScript actions on node24`);
    if (!runs.main || !existsSync(join(root, runs.main))) report(actionFile, lineOf(['runs', 'main']), `runs.main "${runs.main}" does not exist: build and commit it`);
  }
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error(`workflow lint: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
  process.exit(1);
}
console.log(`workflow lint: ${workflows.length} workflow${workflows.length === 1 ? '' : 's'}${actionFile ? ' and action.yml' : ''} clean`);
