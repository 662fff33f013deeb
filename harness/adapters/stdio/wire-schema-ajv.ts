/**
 * wire.schema.json compiled with Ajv: by wire-schema.ts when it runs from the sources, and by the
 * build, which writes these validators' standalone code into dist/ (`source`: Ajv keeps the code).
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

/** The validators, by the definition each checks (`message`: the schema's root, any message). */
export const WIRE_VALIDATOR_DEFS = ['message', 'request', 'successResponse', 'errorResponse', 'initializeResult', 'canBuySilentResult', 'hrResult'] as const;
export type WireValidators = Record<(typeof WIRE_VALIDATOR_DEFS)[number], ValidateFunction>;

export function wireSchemaAjv(source = false): { ajv: Ajv2020; refs: Record<keyof WireValidators, string> } {
  const schema = JSON.parse(readFileSync(new URL('./wire.schema.json', import.meta.url), 'utf8')) as { $id: string };
  const ajv = new Ajv2020({ strict: true, allErrors: true, discriminator: true, allowUnionTypes: true, code: { source } });
  ajv.addSchema(schema);
  const refs = Object.fromEntries(WIRE_VALIDATOR_DEFS.map((name) => [name, name === 'message' ? schema.$id : `${schema.$id}#/$defs/${name}`]));
  return { ajv, refs: refs as Record<keyof WireValidators, string> };
}

export function compileWireValidators(): WireValidators {
  const { ajv, refs } = wireSchemaAjv();
  return Object.fromEntries(WIRE_VALIDATOR_DEFS.map((name) => {
    const validate = ajv.getSchema(refs[name]);
    if (!validate) throw new Error(`wire.schema.json has no schema at ${refs[name]}`);
    return [name, validate];
  })) as WireValidators;
}
