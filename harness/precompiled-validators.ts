/**
 * Validation code the build wrote beside a module (scripts/build.mjs: Ajv's standalone code, in
 * dist/ only). Loading it takes milliseconds where compiling its schema takes a tenth of a second,
 * paid by every CLI run; a checkout running its sources compiles the schema instead, with the same
 * options, so both give the same verdicts and messages (test/cli/precompiled-validators.test.ts).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The exports of `file` (CommonJS) beside `moduleUrl`, or undefined when the build did not write it. */
export function precompiledValidators<T>(moduleUrl: string, file: string): T | undefined {
  const path = fileURLToPath(new URL(file, moduleUrl));
  return existsSync(path) ? createRequire(moduleUrl)(path) as T : undefined;
}

/** Ajv's own errorsText, for validators that come without their Ajv instance. */
export function errorsText(errors: readonly { instancePath: string; message?: string }[] | null | undefined, dataVar: string, separator: string): string {
  if (!errors || errors.length === 0) return 'No errors';
  return errors.map((error) => `${dataVar}${error.instancePath} ${error.message}`).join(separator);
}
