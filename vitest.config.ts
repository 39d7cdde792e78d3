import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Long fault-injection runs: npm run test:stress.
    exclude: ['test/stress/**', 'test/packaging/**', '**/node_modules/**'],
    globalSetup: ['test/helpers/build.ts'],
    testTimeout: 30_000,
    // Most tests wait on a CLI subprocess or a redis-server: on two cores, two test files at once
    // keep both busy (vitest's default is one file per core less one, here one).
    maxWorkers: 2,
    reporters: ['default'],
  },
});
