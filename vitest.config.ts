import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Long fault-injection runs: npm run test:stress.
    exclude: ['test/stress/**', 'test/packaging/**', '**/node_modules/**'],
    globalSetup: ['test/helpers/build.ts'],
    testTimeout: 30_000,
    reporters: ['default'],
  },
});
