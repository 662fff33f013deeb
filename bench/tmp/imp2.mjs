const mode = process.argv[2];
if (mode.includes('esm')) { const { register } = await import('tsx/esm/api'); register(); }
if (mode.includes('cjs')) { const { register } = await import('tsx/cjs/api'); register(); }
const t = performance.now();
await import(process.argv[3] ?? 'vitest/node');
console.log(mode, process.argv[3] ?? 'vitest/node', Math.round(performance.now() - t));
