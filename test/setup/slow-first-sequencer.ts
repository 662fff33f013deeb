/**
 * Runs the slowest test files first. vitest's own order puts files it has no timing for by size,
 * largest first, and the slowest files here are small (the mutant matrix is a few lines over the
 * kit): started last, two of them decided the whole run's length. Longest first is the classic
 * schedule for two workers. The list is by measured duration (a clean-clone `.ci/run`), slowest
 * first; a file missing from it only loses its head start.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export const SLOWEST_FIRST = [
  'test/mutants/natural-mutants-odd.test.ts',
  'test/mutants/natural-mutants.test.ts',
  'test/com/com-dll.test.ts',
  'test/package/user-projects.test.ts',
  'test/players/natural-player-mutants.test.ts',
  'test/mutants/determinism.test.ts',
  'test/hostile/out-of-process.test.ts',
  'test/hostile/out-of-process-wire.test.ts',
  'test/hostile/in-process.test.ts',
  'test/vitest/certify-in-vitest.test.ts',
  'test/mutants/reference.test.ts',
  'test/shards/shards-engine.test.ts',
  'test/exec/exec-certification.test.ts',
  'test/players/player-cli.test.ts',
  'test/hostile/in-process-values.test.ts',
  'test/runner/search-window.test.ts',
  // Not slow, but long enough that starting one last leaves the other worker idle meanwhile.
  'test/bench/bench-quick.test.ts',
  'test/cli/cli-main.test.ts',
  'test/cli/cli-process.test.ts',
  'test/discovery/discovery-page.test.ts',
];

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = SLOWEST_FIRST.findIndex((path) => file.moduleId.endsWith(`/${path}`));
      return index < 0 ? SLOWEST_FIRST.length : index;
    };
    const rest = await super.sort(files.filter((file) => rank(file) === SLOWEST_FIRST.length));
    return [...files.filter((file) => rank(file) < SLOWEST_FIRST.length).sort((a, b) => rank(a) - rank(b)), ...rest];
  }
}
