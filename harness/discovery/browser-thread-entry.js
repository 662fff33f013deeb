// The discovery page's browser thread starts here (see ../thread-entry.js and browser-thread.ts).
import { runThreadMain } from '../thread-entry.js';

await runThreadMain(new URL('./browser-thread-main.ts', import.meta.url));
