/** The other half of the natural plug-in mutant kit (see natural-mutants.test.ts). */
import { describe } from 'vitest';
import { describeNaturalMutants } from './natural-mutant-certification.ts';

describe('each natural mutant is reported under the rules naming its bug (the kit\'s other half)', () => {
  describeNaturalMutants((index) => index % 2 === 1);
});
