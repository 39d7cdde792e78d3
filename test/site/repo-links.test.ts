import { describe, expect, it } from 'vitest';
import { commitUrl, fileUrl, webUrlOfActions, webUrlOfRemote } from '../../src/site/repo-links.js';

describe('repository links', () => {
  it.each([
    ['git@github.com:acme/shop.git', 'https://github.com/acme/shop', 'github'],
    ['https://github.com/acme/shop', 'https://github.com/acme/shop', 'github'],
    ['https://x-access-token:ghs_abc@github.com/acme/shop.git', 'https://github.com/acme/shop', 'github'],
    ['ssh://git@github.com:22/acme/shop.git', 'https://github.com/acme/shop', 'github'],
    ['git@gitlab.com:group/sub/project.git', 'https://gitlab.com/group/sub/project', 'gitlab'],
    ['https://gitlab.example.com:8443/acme/mono.git/', 'https://gitlab.example.com:8443/acme/mono', 'gitlab'],
    ['git@bitbucket.org:acme/shop.git', 'https://bitbucket.org/acme/shop', 'bitbucket'],
    ['https://git.example.com/acme/shop.git', 'https://git.example.com/acme/shop', 'other'],
  ])('%s → %s', (remote, web, host) => {
    expect(webUrlOfRemote(remote)).toEqual({ web, host });
  });

  it.each(['/srv/git/shop.git', '../shop', 'file:///srv/git/shop.git', 'https://github.com/', 'not a url'])('%s has no web address', (remote) => {
    expect(webUrlOfRemote(remote)).toBeUndefined();
  });

  it('links a line the way each host does', () => {
    const commit = 'c'.repeat(40);
    expect(fileUrl({ web: 'https://github.com/a/b', host: 'github', commit }, 'src/my file.ts', 8)).toBe(`https://github.com/a/b/blob/${commit}/src/my%20file.ts#L8`);
    expect(fileUrl({ web: 'https://gitlab.com/a/b', host: 'gitlab', commit }, 'src/x.ts', 8)).toBe(`https://gitlab.com/a/b/-/blob/${commit}/src/x.ts#L8`);
    expect(fileUrl({ web: 'https://bitbucket.org/a/b', host: 'bitbucket', commit }, 'src/x.ts', 8)).toBe(`https://bitbucket.org/a/b/src/${commit}/src/x.ts#lines-8`);
    expect(commitUrl({ web: 'https://gitlab.com/a/b', host: 'gitlab', commit }, commit)).toBe(`https://gitlab.com/a/b/-/commit/${commit}`);
  });

  it('takes the repository of a GitHub Actions run, GitHub Enterprise included', () => {
    expect(webUrlOfActions({ GITHUB_SERVER_URL: 'https://github.acme.internal/', GITHUB_REPOSITORY: 'platform/flags' })).toEqual({
      web: 'https://github.acme.internal/platform/flags',
      host: 'github',
    });
    expect(webUrlOfActions({ GITHUB_REPOSITORY: 'platform/flags' })).toBeUndefined();
    expect(webUrlOfActions({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'x/../../evil' })).toBeUndefined();
  });
});
