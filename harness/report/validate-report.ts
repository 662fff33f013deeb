/**
 * Checks a value against report.schema.json, the published shape of report.json. The schema is
 * compiled once per process (compiling costs milliseconds, validating microseconds).
 */
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsCjs from 'ajv-formats';
import type { CertificationReport } from './model.ts';
import reportSchema from './report.schema.json' with { type: 'json' };

// ajv-formats is CommonJS: under nodenext its callable export is `.default` (notes/ecosystem.md §4).
const addFormats = addFormatsCjs.default;

/** A report that does not match the schema; `problems` holds one readable line per ajv error. */
export class InvalidReportError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`report does not match report.schema.json:\n  ${problems.join('\n  ')}`);
    this.name = 'InvalidReportError';
    this.problems = problems;
  }
}

// `discriminator` picks the trace event variant by `type`, so a bad event gets that variant's
// errors instead of one error per variant of the oneOf.
const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true, discriminator: true });
addFormats(ajv, ['date-time']);
const validate = ajv.compile<CertificationReport>(reportSchema);

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
