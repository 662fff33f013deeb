// A candidate's worker thread starts here (see ../thread-entry.js: dist/ when it is fresh, else the
// sources through tsx). worker-main then registers tsx only for a TypeScript candidate.
import { runThreadMain } from '../thread-entry.js';

await runThreadMain(new URL('./worker-main.ts', import.meta.url));
