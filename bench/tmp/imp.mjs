const mode = process.argv[2];
if (mode !== 'plain') {
  const { register } = await import('tsx/esm/api');
  const { register: rc } = await import('tsx/cjs/api');
  register(); rc();
  if (mode === 'nomaps') process.setSourceMapsEnabled(false);
}
console.log(mode, 'sourcemaps', process.sourceMapsEnabled);
const t = performance.now();
await import(process.argv[3] ?? 'vitest/node');
console.log(mode, process.argv[3] ?? 'vitest/node', Math.round(performance.now() - t));
