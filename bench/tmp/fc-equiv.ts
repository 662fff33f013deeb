// Prints a digest of generated values and shrink results: identical before/after a change means the
// arbitraries are unchanged for these seeds.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
const t0 = performance.now();
const values = await import('../../harness/scenario/values.ts');
const { scenarioArbitrary } = await import('../../harness/scenario/scenario-arbitrary.ts');
const t1 = performance.now();
const digest = (label: string, value: unknown) => {
  const text = JSON.stringify(value, (_k, v) => (v === undefined ? '(undefined)' : v));
  console.log(label, createHash('sha256').update(text).digest('hex').slice(0, 16));
};
const arbs: Record<string, fc.Arbitrary<unknown>> = {
  hostileString: values.hostileString, bstr: values.bstr, price: values.price, containerType: values.containerType,
  scenario: scenarioArbitrary(),
};
for (const [name, arb] of Object.entries(arbs)) {
  for (const seed of [1, 2, 3, 42, -7]) digest(`${name} seed ${seed}`, fc.sample(arb, { seed, numRuns: name === 'scenario' ? 300 : 2000 }));
}
// Shrinking: a property that fails on strings with a lone surrogate or a NUL, and one on long params.
for (const seed of [1, 2, 3, 4, 5]) {
  const a = fc.check(fc.property(values.hostileString, (s) => !/[\u0000\ud800-\udfff]/.test(s) || s.length < 2), { seed, numRuns: 500 });
  digest(`shrink hostile seed ${seed}`, [a.failed, a.counterexample, a.counterexamplePath, a.numShrinks]);
  const b = fc.check(fc.property(values.bstr, values.bstr, (x, y) => (x ?? '').length + (y ?? '').length < 20), { seed, numRuns: 500 });
  digest(`shrink bstr seed ${seed}`, [b.failed, b.counterexample, b.counterexamplePath, b.numShrinks]);
  const c = fc.check(fc.property(scenarioArbitrary(), (s) => !s.transactions.some((t) => t.containers.some((c) => c.type.length > 3 && /[^\x20-\x7e]/.test(c.type)))), { seed, numRuns: 300 });
  digest(`shrink scenario seed ${seed}`, [c.failed, c.counterexample, c.counterexamplePath, c.numShrinks]);
}
console.log('import ms', Math.round(t1 - t0));
