/**
 * report.schema.json compiled with Ajv: by validate-report.ts when it runs from the sources, and by
 * the build, which writes this validator's standalone code into dist/ (`source`: Ajv keeps the code).
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsCjs from 'ajv-formats';
import type { CertificationReport } from './model.ts';
import reportSchema from './report.schema.json' with { type: 'json' };

// ajv-formats is CommonJS: under nodenext its callable export is `.default` (notes/ecosystem.md §4).
const addFormats = addFormatsCjs.default;

export function compileReportSchema(source = false): { ajv: Ajv2020; validate: ValidateFunction<CertificationReport> } {
  // `discriminator` picks the trace event variant by `type`, so a bad event gets that variant's
  // errors instead of one error per variant of the oneOf.
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true, discriminator: true, code: { source } });
  addFormats(ajv, ['date-time']);
  return { ajv, validate: ajv.compile<CertificationReport>(reportSchema) };
}
