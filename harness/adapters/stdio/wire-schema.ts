/**
 * The stdio wire protocol (contract §4 and its additions, docs/wire-protocol.md): the TypeScript shapes of its messages and the shipped JSON
 * Schema (wire.schema.json beside this file), compiled once with Ajv.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { BSTR, DWORD, HRESULT } from '../../protocol/types.ts';

export const WIRE_SCHEMA_ID = 'https://wmpcert.dev/schemas/wire-v1.json';
export const WIRE_PROTOCOL_VERSION = 1;

export interface WireItem { id: DWORD; price: BSTR }
export interface WireContainer { id: DWORD; type: string; price: BSTR; items: WireItem[] }
export interface WireContainerList { transactionType: number; containers: WireContainer[] }

/** Names the plug-in instance a message is for, in a child that serves many (absent otherwise). */
export interface InstanceParam { instance?: number }

/** Requests the harness sends, by method, with their params. */
export interface HarnessToPluginParams {
  initialize: { protocol: number };
  create: { instance: number };
  release: { instance: number };
  setCallback: InstanceParam & { enabled: boolean };
  download: InstanceParam & { cookie: DWORD; list: WireContainerList };
  downloadTrackComplete: InstanceParam & { hr: HRESULT; contentId: DWORD; param: BSTR };
  canBuySilent: InstanceParam & { list: WireContainerList };
  buy: InstanceParam & { cookie: DWORD; list: WireContainerList };
  refreshLicense: InstanceParam & {
    cookie: DWORD; local: boolean; url: BSTR; type: number; contentId: DWORD; reason: BSTR; reasonContext: BSTR;
  };
  sendMessage: InstanceParam & { msg: BSTR; param: BSTR };
  shutdown: Record<string, never>;
}

/** Requests a plug-in sends, by method, with their params. */
export interface PluginToHarnessParams {
  downloadTrack: InstanceParam & { cookie: DWORD; url: BSTR; trackId: DWORD; params: BSTR; hr: HRESULT };
  buyComplete: InstanceParam & { hr: HRESULT; cookie: DWORD };
  refreshLicenseComplete: InstanceParam & { cookie: DWORD; contentId: DWORD; hr: HRESULT };
  sendMessageComplete: InstanceParam & { msg: BSTR; param: BSTR; result: BSTR };
}

/** The optional IWMPContentPartner methods a child may list in `initialize`'s answer. */
export const OPTIONAL_WIRE_METHODS = ['canBuySilent', 'buy', 'refreshLicense', 'sendMessage'] as const;
export type OptionalWireMethod = typeof OPTIONAL_WIRE_METHODS[number];

export type HarnessMethod = keyof HarnessToPluginParams;
export type PluginMethod = keyof PluginToHarnessParams;
export type WireMethod = HarnessMethod | PluginMethod;

export interface InitializeResult {
  name: string;
  version: string;
  /** "many": one long-lived child serves many plug-in instances; "one" (the default): a child per plug-in. */
  instances?: 'one' | 'many';
  /** The optional methods the child implements; left out: none. */
  methods?: OptionalWireMethod[];
  /** The COM class a bridge to a plug-in DLL serves (wmpcert-com-host.exe). */
  clsid?: string;
}
export interface HrResult { hr: HRESULT }
export interface CanBuySilentWireResult { hr: HRESULT; totalPrice?: BSTR; silentOK?: boolean }
export type WireResult<M extends WireMethod> =
  M extends 'initialize' ? InitializeResult : M extends 'canBuySilent' ? CanBuySilentWireResult : HrResult;

type ResultDef = 'initializeResult' | 'canBuySilentResult' | 'hrResult';

const RESULT_DEF: Record<WireMethod, ResultDef> = {
  initialize: 'initializeResult',
  create: 'hrResult',
  release: 'hrResult',
  setCallback: 'hrResult',
  download: 'hrResult',
  downloadTrackComplete: 'hrResult',
  canBuySilent: 'canBuySilentResult',
  buy: 'hrResult',
  refreshLicense: 'hrResult',
  sendMessage: 'hrResult',
  shutdown: 'hrResult',
  downloadTrack: 'hrResult',
  buyComplete: 'hrResult',
  refreshLicenseComplete: 'hrResult',
  sendMessageComplete: 'hrResult',
};

export function isWireMethod(method: string): method is WireMethod {
  return Object.hasOwn(RESULT_DEF, method);
}

/** HRESULTs may arrive in their unsigned spelling; the harness always works with the signed one. */
export function normalizeHResult(hr: number): HRESULT {
  return hr | 0;
}

/** What a JSON-RPC peer needs to judge the messages it receives. Each check returns null when valid. */
export interface MessageSchema {
  /** A whole request: envelope, method and params. */
  checkRequest(message: unknown): string | null;
  /** The result of a request this side sent with `method`. */
  checkResult(method: string, result: unknown): string | null;
  /** The envelope of a success response (its result is checked by checkResult). */
  checkSuccessResponse(message: unknown): string | null;
  checkErrorResponse(message: unknown): string | null;
}

interface CompiledWireSchema {
  ajv: Ajv2020;
  message: ValidateFunction;
  request: ValidateFunction;
  successResponse: ValidateFunction;
  errorResponse: ValidateFunction;
  initializeResult: ValidateFunction;
  canBuySilentResult: ValidateFunction;
  hrResult: ValidateFunction;
}

let compiled: CompiledWireSchema | undefined;

/** Compiled on first use and kept: compiling costs milliseconds, validating microseconds. */
function compiledWireSchema(): CompiledWireSchema {
  if (compiled) return compiled;
  const schema: unknown = JSON.parse(readFileSync(new URL('./wire.schema.json', import.meta.url), 'utf8'));
  const ajv = new Ajv2020({ strict: true, allErrors: true, discriminator: true, allowUnionTypes: true });
  ajv.addSchema(schema as object);
  const def = (name: string): ValidateFunction => {
    const validate = ajv.getSchema(`${WIRE_SCHEMA_ID}#/$defs/${name}`);
    if (!validate) throw new Error(`wire.schema.json has no $defs/${name}`);
    return validate;
  };
  const message = ajv.getSchema(WIRE_SCHEMA_ID);
  if (!message) throw new Error(`wire.schema.json is not registered under ${WIRE_SCHEMA_ID}`);
  compiled = {
    ajv,
    message,
    request: def('request'),
    successResponse: def('successResponse'),
    errorResponse: def('errorResponse'),
    initializeResult: def('initializeResult'),
    canBuySilentResult: def('canBuySilentResult'),
    hrResult: def('hrResult'),
  };
  return compiled;
}

function describeErrors(errors: ErrorObject[] | null | undefined, dataVar: string): string {
  return compiledWireSchema().ajv.errorsText(errors, { dataVar, separator: '; ' });
}

function check(validate: ValidateFunction, value: unknown, dataVar: string): string | null {
  return validate(value) ? null : describeErrors(validate.errors, dataVar);
}

/** Any message in either direction (the schema's root). */
export function checkWireMessage(message: unknown): string | null {
  return check(compiledWireSchema().message, message, 'message');
}

export const wireSchema: MessageSchema = {
  checkRequest: message => check(compiledWireSchema().request, message, 'message'),
  checkResult(method, result) {
    if (!isWireMethod(method)) return `no result schema for method ${JSON.stringify(method)}`;
    return check(compiledWireSchema()[RESULT_DEF[method]], result, 'result');
  },
  checkSuccessResponse: message => check(compiledWireSchema().successResponse, message, 'message'),
  checkErrorResponse: message => check(compiledWireSchema().errorResponse, message, 'message'),
};
