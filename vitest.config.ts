import { defineConfig } from 'vitest/config';

/**
 * Projects: `unit` (pure code, beside it), `sqlite` and `postgres` (every *.int.test.ts runs once
 * per engine, DB=…), `e2e` (the built console in Chromium). `npm test` (scripts/test.mjs) picks them.
 */
const integration = ['src/**/*.int.test.ts', 'test/**/*.int.test.ts'];
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { test: { name: 'unit', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: [...integration, 'test/e2e/**'] } },
      { test: { name: 'sqlite', include: integration, env: { DB: 'sqlite' } } },
      { test: { name: 'postgres', include: integration, env: { DB: 'postgres' } } },
      { test: { name: 'e2e', include: ['test/e2e/**/*.e2e.test.ts'], fileParallelism: false, testTimeout: 60_000 } },
    ],
  },
});
