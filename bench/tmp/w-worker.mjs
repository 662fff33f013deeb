import { parentPort } from 'node:worker_threads';
const t = performance.now();
try { await import('../scenarios.ts'); parentPort.postMessage('ts import worked'); } catch (e) { parentPort.postMessage('ts import failed: ' + e.message.slice(0, 80)); }
const t2 = performance.now();
await import('vitest/node');
parentPort.postMessage(`vitest/node import ${Math.round(performance.now() - t2)} ms`);
