import { defineConfig } from 'vitest/config';
import { SlowFirstSequencer } from './test/setup/slow-first-sequencer.ts';

// The harness's own tests. The certification suites in suites/ are run by `wmpcert certify`
// (through vitest's Node API), not by `npm test`.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds the public package once per run and links it where fixtures/mutants/ imports 'wmpcert'.
    globalSetup: ['test/setup/public-package.ts'],
    pool: 'forks',
    // Two test files at a time on this 2-core machine (vitest's default leaves one core idle): most
    // tests wait on a candidate's timers, a sandbox or Chromium rather than compute.
    maxWorkers: 2,
    // Concurrent tests (the mutant matrix) two at a time per file: a certification mostly waits out
    // quiet windows, but more at once (three per file, two files) loaded two cores enough to change
    // how a timing-dependent mutant shrank (dl-10-circuit-breaker: a 3-transaction counterexample).
    maxConcurrency: 2,
    sequence: { sequencer: SlowFirstSequencer },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    retry: 0,
  },
});
