/**
 * The workflows `flagops init` writes, for the environments and folders of a project. This
 * repository runs the same two (a test compares them, with `uses: ./` in place of the Action).
 */
const CHECKOUT = 'actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0';
const UPLOAD_SARIF = 'github/codeql-action/upload-sarif@5d4e8d1aca955e8d8589aabd499c5cae939e33c7 # v4.31.9';
const UPLOAD_PAGES_ARTIFACT = 'actions/upload-pages-artifact@7b1f4a764d45c48632c6b24a0339c27f5614fb0b # v4.0.0';
const DEPLOY_PAGES = 'actions/deploy-pages@d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e # v4.0.5';

export interface WorkflowOptions {
  /** What `uses:` says for the Action, comment included. */
  action: string;
  environments: readonly string[];
  flags: string;
  tests: string;
  config: string;
}

export function pullRequestWorkflow(o: WorkflowOptions): string {
  return `# Pull requests that touch flags or the code that reads them: validate, scan, run the flag specs,
# explain what the change does to users, annotate the exact lines, upload SARIF to code scanning.
name: flags-pr

on:
  pull_request:
    paths:
      - "${o.flags}/**"
      - "${o.tests}/**"
      - "${o.config}"
      - "**/*.ts"
      - "**/*.tsx"
      - "**/*.js"
      - "**/*.jsx"

# Least privilege: read the code; the job below adds what uploading SARIF needs.
permissions:
  contents: read

concurrency:
  group: flags-pr-\${{ github.event.pull_request.number }}
  cancel-in-progress: true

jobs:
  review:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    permissions:
      contents: read
      security-events: write
    steps:
      - uses: ${CHECKOUT}
        with:
          # flagops diff reads the flags at the pull request's base commit.
          fetch-depth: 0
          persist-credentials: false

      - name: Check flags, code references and flag specs
        uses: ${o.action}
        with:
          command: check
          sarif-file: flagops.sarif

      - name: Explain the flag changes
        if: \${{ !cancelled() }}
        uses: ${o.action}
        with:
          command: diff

      - name: Upload findings to code scanning
        if: \${{ !cancelled() && hashFiles('flagops.sarif') != '' }}
        uses: ${UPLOAD_SARIF}
        with:
          sarif_file: flagops.sarif
          category: flagops
`;
}

/** A job id GitHub accepts for an environment name (letters, digits, _ and -, not starting with a digit). */
const jobId = (environment: string) => (/^[A-Za-z_]/.test(environment) ? environment : `env-${environment}`);

export function syncWorkflow(o: WorkflowOptions): string {
  const [first, ...rest] = o.environments;
  const jobs = o.environments.map((environment, i) => {
    const previous = o.environments[i - 1];
    const checkout =
      i === 0
        ? `      - uses: ${CHECKOUT}
        with:
          # The ancestry guard compares this commit with the one live in Redis: it needs history.
          fetch-depth: 0
          persist-credentials: false
`
        : `      - uses: ${CHECKOUT}
        with:
          fetch-depth: 0
          persist-credentials: false
`;
    return `  ${jobId(environment)}:
${previous !== undefined ? `    needs: ${jobId(previous)}\n` : ''}    if: github.ref == 'refs/heads/main'
    runs-on: ubuntu-latest
    timeout-minutes: 10
    environment: ${environment}
    steps:
${checkout}
      - name: Sync ${environment}
${i === 0 ? '        id: sync\n' : ''}        uses: ${o.action}
        with:
          command: sync
          env: ${environment}
          redis-url: \${{ secrets.FLAGOPS_REDIS_URL }}
          # Removing more than a quarter of the live flags (one of three, say) takes a manual run that asks for it.
          allow-delete: \${{ github.event_name == 'workflow_dispatch' && inputs.allow-delete }}
`;
  });
  const order = rest.length > 0 ? `${first} first, then ${rest.join(', then ')}, each behind its` : `${first}, behind its`;
  return `# A merge to main syncs the flags: ${order}
# GitHub environment (required reviewers, its own Redis secret). One sync at a time, never
# cancelled halfway; flagops refuses a commit that is not a descendant of the live one.
# Every job runs from main only (a dispatch from another branch is skipped); restrict the GitHub
# environments to main as well, so that a branch that edits this file gets no secret either
# (docs/security.md).
name: flags-sync

on:
  push:
    branches: [main]
    paths:
      - "${o.flags}/**"
      - "${o.config}"
  workflow_dispatch:
    inputs:
      allow-delete:
        description: Allow removing all, or more than a quarter, of the live flags (flagops sync --allow-delete)
        type: boolean
        default: false

permissions:
  contents: read

concurrency:
  group: flags-sync
  cancel-in-progress: false

jobs:
${jobs.join('\n')}`;
}

/**
 * Once a working day, a pull request per flag ready for removal (docs/cleanup.md): only this
 * job can push branches and open pull requests, and only with the workflow's own token.
 */
export function cleanupWorkflow(o: WorkflowOptions): string {
  return `# Flags past their last day, or serving one variant to everyone, come out of the code: one pull
# request per flag (branch flagops/cleanup/<key>), type-checked, review requested from the flag's
# owner. A flag that already has an open cleanup pull request is skipped.
name: flags-cleanup

on:
  schedule:
    - cron: "17 6 * * 1-5"
  workflow_dispatch:

# Least privilege: nothing for the workflow; the job below gets what it needs.
permissions: {}

concurrency:
  group: flags-cleanup
  cancel-in-progress: false

jobs:
  cleanup:
    if: github.ref == 'refs/heads/main'
    runs-on: ubuntu-latest
    timeout-minutes: 30
    permissions:
      contents: write
      pull-requests: write
    steps:
      - uses: ${CHECKOUT}
        with:
          persist-credentials: false

      # The type check after each cleanup runs the project's own TypeScript.
      - name: Install dependencies
        if: \${{ hashFiles('package-lock.json') != '' }}
        run: npm ci --ignore-scripts

      - name: Open a cleanup pull request per finished flag
        uses: ${o.action}
        with:
          command: cleanup
`;
}

/**
 * Every push to main, and every morning (ages and countdowns are computed when the site is built),
 * the flag health site is built and published to GitHub Pages. Only the deploy job can write to
 * Pages; the build job reads the code. The site's links are relative, so no configure-pages step
 * (and no Pages API access) is needed for it to work under /<repository>/.
 */
export function siteWorkflow(o: WorkflowOptions): string {
  return `# The flag health site (docs/site.md): every flag with its owner, expiry, what each environment
# serves, its code references and history, on GitHub Pages. Turn Pages on first: Settings → Pages →
# Source: GitHub Actions.
name: flags-site

on:
  push:
    branches: [main]
  schedule:
    - cron: "23 5 * * *"
  workflow_dispatch:

# Least privilege: nothing for the workflow; each job gets what it needs.
permissions: {}

concurrency:
  group: flags-site
  # A deployment in progress is left to finish.
  cancel-in-progress: false

jobs:
  build:
    if: github.ref == 'refs/heads/main'
    runs-on: ubuntu-latest
    timeout-minutes: 15
    permissions:
      contents: read
    steps:
      - uses: ${CHECKOUT}
        with:
          # Each flag's page lists its last changes from git.
          fetch-depth: 0
          persist-credentials: false

      - name: Build the flag site
        uses: ${o.action}
        with:
          command: site
          out: _site

      - name: Hand the site to GitHub Pages
        uses: ${UPLOAD_PAGES_ARTIFACT}
        with:
          path: _site

  deploy:
    needs: build
    runs-on: ubuntu-latest
    timeout-minutes: 10
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: \${{ steps.deployment.outputs.page_url }}
    steps:
      - name: Publish to GitHub Pages
        id: deployment
        uses: ${DEPLOY_PAGES}
`;
}

/**
 * Every five minutes (GitHub's shortest schedule), guarded rollouts are decided (docs/guards.md):
 * a stage begins only once its guards pass; a breach kills the flag and opens an issue. Each
 * environment in its own job, behind its GitHub environment's secrets (the store, the metrics source).
 */
export function guardWorkflow(o: WorkflowOptions): string {
  const jobs = o.environments.map(
    (environment) => `  ${jobId(environment)}:
    if: github.ref == 'refs/heads/main'
    runs-on: ubuntu-latest
    timeout-minutes: 5
    environment: ${environment}
    permissions:
      contents: read
      issues: write
    steps:
      - uses: ${CHECKOUT}
        with:
          persist-credentials: false

      - name: Decide the guarded rollouts in ${environment}
        uses: ${o.action}
        with:
          command: guard
          env: ${environment}
          redis-url: \${{ secrets.FLAGOPS_REDIS_URL }}
        env:
          FLAGOPS_METRICS_URL: \${{ secrets.FLAGOPS_METRICS_URL }}
`,
  );
  return `# Guarded rollouts (docs/guards.md): a rollout stage with guards begins only once its metrics
# pass, compared for the users who get the new variant against those who do not; a breach kills
# the flag (as flagops kill) and opens an issue for its owner. A metrics source that cannot be
# read holds: a stage never begins unguarded.
name: flags-guard

on:
  schedule:
    - cron: "*/5 * * * *"
  workflow_dispatch:

# Least privilege: nothing for the workflow; each job gets what it needs.
permissions: {}

concurrency:
  group: flags-guard
  cancel-in-progress: false

jobs:
${jobs.join('\n')}`;
}
