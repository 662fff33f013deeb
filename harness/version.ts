/** The harness version, as package.json says it. */
import { readFileSync } from 'node:fs';

export const HARNESS_VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
