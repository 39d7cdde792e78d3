import { defineConfig } from 'vitest/config';

/**
 * The long runs: fault injection and soak (test/stress/) and the packaging test, which packs both
 * packages and installs them in scratch projects (test/packaging/). `npm run test:stress`; CI runs
 * it after `npm test`.
 */
export default defineConfig({
  test: {
    include: ['test/stress/**/*.test.ts', 'test/packaging/**/*.test.ts'],
    globalSetup: ['test/helpers/build.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
