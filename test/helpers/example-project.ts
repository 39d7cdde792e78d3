import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './cli.js';
import { GitRepo } from './git-repo.js';

/** This repository's example project (flags, specs, example code, configuration) in a git repository of its own. */
export function exampleProject(folder = ''): GitRepo {
  const repo = new GitRepo();
  for (const part of ['flags', 'segments', 'flag-tests', 'examples', 'flagops.config.yaml', 'tsconfig.json']) {
    cpSync(join(repoRoot, part), join(repo.root, folder, part), { recursive: true });
  }
  repo.commit('the example project');
  return repo;
}
