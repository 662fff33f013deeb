import { defineConfig } from 'vitest/config';

// The harness's own tests. The certification suites in suites/ are run by `wmpcert certify`
// (through vitest's Node API), not by `npm test`.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds the public package once per run and links it where fixtures/mutants/ imports 'wmpcert'.
    globalSetup: ['test/setup/public-package.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    retry: 0,
  },
});
