/**
 * Checks a value against report.schema.json, the published shape of report.json, with the validator
 * the build precompiled (dist/), else the schema compiled once per process (a checkout's sources).
 */
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { precompiledValidators } from '../precompiled-validators.ts';
import type { CertificationReport } from './model.ts';

/** A report that does not match the schema; `problems` holds one readable line per ajv error. */
export class InvalidReportError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`report does not match report.schema.json:\n  ${problems.join('\n  ')}`);
    this.name = 'InvalidReportError';
    this.problems = problems;
  }
}

// scripts/build.mjs writes it from compileReportSchema(true).
const validate = precompiledValidators<ValidateFunction<CertificationReport>>(import.meta.url, './report-validator.cjs')
  ?? (await import('./compile-report-schema.ts')).compileReportSchema().validate;

export function validateReport(value: unknown): asserts value is CertificationReport {
  if (!validate(value)) throw new InvalidReportError(describeErrors(validate.errors ?? []));
}

function describeErrors(errors: readonly ErrorObject[]): string[] {
  const lines = errors
    // "must match "then" schema" only repeats the then/else error that comes with it.
    .filter((error) => error.keyword !== 'if')
    .map((error) => `report${error.instancePath} ${message(error)}`);
  return [...new Set(lines)];
}

function message(error: ErrorObject): string {
  // A `false` subschema marks a property that is not allowed in this case (a failure on a rule that passed).
  if (error.keyword === 'false schema') return 'is not allowed here';
  return `${error.message ?? 'is invalid'}${detail(error)}`;
}

/** What ajv's message leaves out: the allowed values, the unexpected property's name. */
function detail(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'enum':
      return `: ${(params['allowedValues'] as unknown[]).map((value) => JSON.stringify(value)).join(', ')}`;
    case 'const':
      return `: ${JSON.stringify(params['allowedValue'])}`;
    case 'additionalProperties':
      return `: ${JSON.stringify(params['additionalProperty'])}`;
    default:
      return '';
  }
}
