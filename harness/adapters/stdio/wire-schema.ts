/**
 * The stdio wire protocol (contract §4 and its additions, docs/wire-protocol.md): the TypeScript shapes of its messages and the shipped JSON
 * Schema (wire.schema.json beside this file): its validators precompiled by the build, or compiled once with Ajv.
 */
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { errorsText, precompiledValidators } from '../../precompiled-validators.ts';
import type { BSTR, DWORD, HRESULT } from '../../protocol/types.ts';
import type { WireValidators } from './wire-schema-ajv.ts';

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

// The build's precompiled validators (dist/, written by scripts/build.mjs), else the schema
// compiled on first use (a checkout's sources) and kept.
const precompiled = precompiledValidators<WireValidators>(import.meta.url, './wire-validators.cjs');
const compile = precompiled ? undefined : (await import('./wire-schema-ajv.ts')).compileWireValidators;
let compiled: WireValidators | undefined = precompiled;

function wireValidators(): WireValidators {
  return compiled ??= compile!();
}

function describeErrors(errors: ErrorObject[] | null | undefined, dataVar: string): string {
  return errorsText(errors, dataVar, '; ');
}

function check(validate: ValidateFunction, value: unknown, dataVar: string): string | null {
  return validate(value) ? null : describeErrors(validate.errors, dataVar);
}

/** Any message in either direction (the schema's root). */
export function checkWireMessage(message: unknown): string | null {
  return check(wireValidators().message, message, 'message');
}

export const wireSchema: MessageSchema = {
  checkRequest: message => check(wireValidators().request, message, 'message'),
  checkResult(method, result) {
    if (!isWireMethod(method)) return `no result schema for method ${JSON.stringify(method)}`;
    return check(wireValidators()[RESULT_DEF[method]], result, 'result');
  },
  checkSuccessResponse: message => check(wireValidators().successResponse, message, 'message'),
  checkErrorResponse: message => check(wireValidators().errorResponse, message, 'message'),
};
