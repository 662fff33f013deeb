import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
const orig = await import('./values-orig.ts');
const next = await import('../../harness/scenario/values.ts');
let problems = 0;
for (const name of ['hostileString', 'bstr', 'price', 'containerType'] as const) {
  for (let seed = -20; seed < 40; seed++) {
    const a = fc.sample(orig[name] as fc.Arbitrary<unknown>, { seed, numRuns: 500 });
    const b = fc.sample(next[name] as fc.Arbitrary<unknown>, { seed, numRuns: 500 });
    if (!isDeepStrictEqual(a, b)) { problems++; console.log('DIFF sample', name, seed); }
  }
}
for (let seed = 0; seed < 40; seed++) {
  const prop = (v: typeof orig) => fc.property(v.hostileString, v.bstr, (s, b) => !(/[\u0000\ud800-\udfff\u{10000}-\u{10ffff}]/u.test(s) && (b ?? '').length > 3));
  const a = fc.check(prop(orig), { seed, numRuns: 300 });
  const b = fc.check(prop(next), { seed, numRuns: 300 });
  const pick = (d: typeof a) => [d.failed, d.counterexample, d.counterexamplePath, d.numShrinks, d.numRuns];
  if (!isDeepStrictEqual(pick(a), pick(b))) { problems++; console.log('DIFF shrink', seed, pick(a), pick(b)); }
}
// canShrinkWithoutContext on values from elsewhere (the unmapper path).
const probes = ['a', '', 'ab', '\ud800', '\udfff', '\ud83c\udfb5', '\ud83c\udfb5x', 'é', 'e\u0301', '\u0000', '\uffff', 'x'.repeat(13), '__proto__', 'constructor', 5, null];
for (const name of ['hostileString', 'bstr', 'price', 'containerType'] as const) {
  for (const probe of probes) {
    const a = (orig[name] as fc.Arbitrary<unknown>).canShrinkWithoutContext(probe);
    const b = (next[name] as fc.Arbitrary<unknown>).canShrinkWithoutContext(probe);
    if (a !== b) { problems++; console.log('DIFF canShrink', name, JSON.stringify(probe), a, b); }
  }
}
console.log(problems === 0 ? 'identical' : `${problems} differences`);
