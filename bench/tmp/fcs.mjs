import fc from 'fast-check';
let t = performance.now();
const a = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 });
console.log('binary string', Math.round(performance.now() - t)); t = performance.now();
const u = fc.oneof({ arbitrary: a, weight: 6 }, { arbitrary: fc.constantFrom('\u0000'), weight: 2 });
const s = fc.string({ unit: u, maxLength: 12 });
console.log('hostile string', Math.round(performance.now() - t));
