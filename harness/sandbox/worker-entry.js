// A candidate's worker thread starts here: TypeScript candidates need tsx's loader in this thread too.
import { register } from 'tsx/esm/api';

register();
await import('./worker-main.ts');
