/** The harness version, as package.json says it (one folder up from the sources, two from dist/harness). */
import { existsSync, readFileSync } from 'node:fs';

const packageJson = [new URL('../package.json', import.meta.url), new URL('../../package.json', import.meta.url)]
  .find((url) => existsSync(url) && (JSON.parse(readFileSync(url, 'utf8')) as { name?: string }).name === 'wmpcert');

export const HARNESS_VERSION: string = packageJson === undefined
  ? '0.0.0'
  : (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
