import { register } from 'tsx/esm/api';
import { Worker } from 'node:worker_threads';
register();
const w = new Worker(new URL('./w-worker.mjs', import.meta.url));
w.on('message', (m) => console.log('worker says', m));
w.on('error', (e) => console.log('worker error', e.message));
