import { defineConfig } from 'vitest/config';

/** Long fault-injection and soak runs: `npm run test:stress` (CI runs it after `npm test`). */
export default defineConfig({
  test: {
    include: ['test/stress/**/*.test.ts'],
    globalSetup: ['test/helpers/build.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
