import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { E_FAIL } from '../../harness/protocol/hresult.ts';
import {
  checkWireMessage, normalizeHResult, WIRE_SCHEMA_ID, wireSchema,
} from '../../harness/adapters/stdio/wire-schema.ts';

const request = (method: string, params: unknown, id: number | string = 1) => ({ jsonrpc: '2.0', id, method, params });
const goodList = {
  transactionType: 1,
  containers: [
    { id: 0xffffffff, type: 'UnknownLocation', price: null, items: [{ id: 0, price: null }, { id: 4294967295, price: 'PriceFree' }] },
    { id: 7, type: 'CPAlbumID', price: '9.99', items: [] },
  ],
};
const goodTrackCall = { cookie: 4294967295, url: null, trackId: 3, params: null, hr: -2147024891 };

/** [name, message] pairs that must pass and must fail, per message kind. */
const goodRequests: [string, unknown][] = [
  ['initialize', request('initialize', { protocol: 1 })],
  ['setCallback', request('setCallback', { enabled: false })],
  ['download', request('download', { cookie: 0, list: goodList })],
  ['download with no containers', request('download', { cookie: 1, list: { transactionType: 2, containers: [] } })],
  ['downloadTrackComplete, signed hr', request('downloadTrackComplete', { hr: E_FAIL, contentId: 3, param: 'p' })],
  ['downloadTrackComplete, unsigned hr', request('downloadTrackComplete', { hr: 0x80004005, contentId: 3, param: null })],
  ['shutdown', request('shutdown', {})],
  ['downloadTrack (string id)', request('downloadTrack', goodTrackCall, 'a-7')],
  ['downloadTrack, success', request('downloadTrack', { cookie: 1, url: 'http://m/1', trackId: 1, params: 'x', hr: 1 })],
  // The additions (docs/wire-protocol.md): instances and the flows around downloads.
  ['create', request('create', { instance: 1 })],
  ['release', request('release', { instance: 2 })],
  ['download naming its instance', request('download', { instance: 3, cookie: 0, list: goodList })],
  ['downloadTrack naming its instance', request('downloadTrack', { instance: 3, ...goodTrackCall })],
  ['canBuySilent', request('canBuySilent', { instance: 1, list: { transactionType: 2, containers: [] } })],
  ['buy', request('buy', { cookie: 9, list: goodList })],
  ['refreshLicense', request('refreshLicense', { cookie: 1, local: true, url: null, type: 1, contentId: 4, reason: 'expired', reasonContext: null })],
  ['sendMessage', request('sendMessage', { msg: 'hello', param: null })],
  ['buyComplete', request('buyComplete', { hr: E_FAIL, cookie: 9 })],
  ['refreshLicenseComplete', request('refreshLicenseComplete', { cookie: 1, contentId: 4, hr: 0 })],
  ['sendMessageComplete', request('sendMessageComplete', { msg: 'hello', param: null, result: 'ok' })],
];

const badRequests: [string, unknown, RegExp][] = [
  ['initialize with another protocol', request('initialize', { protocol: 2 }), /params\/protocol must be equal to constant/],
  ['initialize without params', { jsonrpc: '2.0', id: 1, method: 'initialize' }, /must have required property 'params'/],
  ['a notification (no id)', { jsonrpc: '2.0', method: 'shutdown', params: {} }, /must have required property 'id'/],
  ['JSON-RPC 1.0', { ...request('shutdown', {}), jsonrpc: '1.0' }, /jsonrpc must be equal to constant/],
  ['setCallback with a string', request('setCallback', { enabled: 'yes' }), /params\/enabled must be boolean/],
  ['download with a 33-bit cookie', request('download', { cookie: 2 ** 32, list: goodList }), /params\/cookie must be <= 4294967295/],
  ['download with a fractional cookie', request('download', { cookie: 1.5, list: goodList }), /params\/cookie must be integer/],
  ['download with a numeric price', request('download', {
    cookie: 1, list: { transactionType: 1, containers: [{ id: 1, type: 'CPAlbumID', price: 9.99, items: [] }] },
  }), /containers\/0\/price must be string,null/],
  ['download with a negative item id', request('download', {
    cookie: 1, list: { transactionType: 1, containers: [{ id: 1, type: 'CPAlbumID', price: null, items: [{ id: -1, price: null }] }] },
  }), /items\/0\/id must be >= 0/],
  ['download with an unknown transaction type', request('download', { cookie: 1, list: { ...goodList, transactionType: 3 } }),
    /transactionType must be equal to one of the allowed values/],
  ['download with a container without items', request('download', {
    cookie: 1, list: { transactionType: 1, containers: [{ id: 1, type: 'CPAlbumID', price: null }] },
  }), /must have required property 'items'/],
  ['downloadTrackComplete with a 33-bit hr', request('downloadTrackComplete', { hr: 2 ** 32, contentId: 1, param: null }),
    /params\/hr must be <= 4294967295/],
  ['downloadTrackComplete with a numeric param', request('downloadTrackComplete', { hr: 0, contentId: 1, param: 5 }),
    /params\/param must be string,null/],
  ['shutdown with params', request('shutdown', { now: true }), /params must NOT have additional properties/],
  ['downloadTrack without hr', request('downloadTrack', { cookie: 1, url: null, trackId: 1, params: null }),
    /must have required property 'hr'/],
  ['create without its instance', request('create', {}), /must have required property 'instance'/],
  ['an instance numbered 0', request('setCallback', { instance: 0, enabled: true }), /params\/instance must be >= 1/],
  ['buyComplete without its cookie', request('buyComplete', { hr: 0 }), /must have required property 'cookie'/],
  ['refreshLicense with a string type', request('refreshLicense', { cookie: 1, local: true, url: null, type: 'music', contentId: 4, reason: null, reasonContext: null }),
    /params\/type must be integer/],
  ['sendMessageComplete with a numeric result', request('sendMessageComplete', { msg: null, param: null, result: 1 }), /params\/result must be string,null/],
  ['downloadTrack with a string track id', request('downloadTrack', { ...goodTrackCall, trackId: '3' }), /params\/trackId must be integer/],
  ['downloadTrack with a signed hr below -2^31', request('downloadTrack', { ...goodTrackCall, hr: -(2 ** 31) - 1 }),
    /params\/hr must be >= -2147483648/],
  ['downloadTrack with an extra field', request('downloadTrack', { ...goodTrackCall, cookie2: 1 }),
    /params must NOT have additional properties/],
  ['an unknown method', request('playTrack', {}), /value of tag "method" must be in oneOf/],
];

describe('wire.schema.json', () => {
  test('is a 2020-12 schema with an https $id', () => {
    const schema = JSON.parse(readFileSync(new URL('../../harness/adapters/stdio/wire.schema.json', import.meta.url), 'utf8'));
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(WIRE_SCHEMA_ID);
    expect(WIRE_SCHEMA_ID).toMatch(/^https:\/\//);
  });

  test.each(goodRequests)('accepts the request: %s', (_name, message) => {
    expect(wireSchema.checkRequest(message)).toBeNull();
    expect(checkWireMessage(message)).toBeNull();
  });

  test.each(badRequests)('rejects the request: %s', (_name, message, error) => {
    expect(wireSchema.checkRequest(message)).toMatch(error);
    expect(checkWireMessage(message)).not.toBeNull();
  });

  test('keeps strings verbatim: U+0000 and lone surrogates survive the JSON round trip', () => {
    const hostile = 'a\u0000b\ud800c\udfff\u2028"\\';
    const line = JSON.stringify(request('downloadTrack', { ...goodTrackCall, url: hostile, params: hostile }));
    const parsed = JSON.parse(line) as { params: { url: string } };
    expect(wireSchema.checkRequest(parsed)).toBeNull();
    expect(parsed.params.url).toBe(hostile);
  });

  test.each([
    ['initialize', { name: 'x', version: '1.0' }],
    ['download', { hr: 0 }],
    ['download', { hr: E_FAIL }],
    ['downloadTrack', { hr: 0xffffffff }],
    ['shutdown', { hr: -2147483648 }],
    ['initialize', { name: 'x', version: '1', instances: 'many', methods: ['canBuySilent', 'buy', 'refreshLicense', 'sendMessage'] }],
    ['canBuySilent', { hr: 0, totalPrice: '3 items', silentOK: true }],
    ['canBuySilent', { hr: E_FAIL }],
    ['buy', { hr: 0 }],
  ])('accepts the %s result %j', (method, result) => {
    expect(wireSchema.checkResult(method, result)).toBeNull();
    expect(wireSchema.checkSuccessResponse({ jsonrpc: '2.0', id: 3, result })).toBeNull();
    expect(checkWireMessage({ jsonrpc: '2.0', id: 3, result })).toBeNull();
  });

  test.each([
    ['initialize', { name: 'x' }, /result must have required property 'version'/],
    ['initialize', { name: 'x', version: null }, /result\/version must be string/],
    ['initialize', { hr: 0 }, /result must have required property 'name'/],
    ['download', { hr: '0' }, /result\/hr must be integer/],
    ['download', { hr: 2 ** 32 }, /result\/hr must be <= 4294967295/],
    ['setCallback', { hr: 0, extra: 1 }, /result must NOT have additional properties/],
    ['setCallback', {}, /result must have required property 'hr'/],
    ['playTrack', { hr: 0 }, /no result schema for method "playTrack"/],
    ['initialize', { name: 'x', version: '1', instances: 'several' }, /result\/instances must be equal to one of the allowed values/],
    ['initialize', { name: 'x', version: '1', methods: ['download'] }, /result\/methods\/0 must be equal to one of the allowed values/],
    ['canBuySilent', { hr: 0, silentOK: 'yes' }, /result\/silentOK must be boolean/],
  ])('rejects the %s result %j', (method, result, error) => {
    expect(wireSchema.checkResult(method, result)).toMatch(error);
  });

  test('checks the envelope of success responses', () => {
    expect(wireSchema.checkSuccessResponse({ jsonrpc: '2.0', result: { hr: 0 } })).toMatch(/required property 'id'/);
    expect(wireSchema.checkSuccessResponse({ jsonrpc: '2.0', id: 1, result: { hr: 0 }, error: null }))
      .toMatch(/must NOT have additional properties/);
  });

  test('accepts error responses, with an id or null; rejects malformed ones', () => {
    expect(wireSchema.checkErrorResponse({ jsonrpc: '2.0', id: 4, error: { code: -32601, message: 'Method not found' } })).toBeNull();
    expect(wireSchema.checkErrorResponse({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error', data: [1] } }))
      .toBeNull();
    expect(checkWireMessage({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } })).toBeNull();
    expect(wireSchema.checkErrorResponse({ jsonrpc: '2.0', id: 4, error: { code: '-32601', message: 'x' } }))
      .toMatch(/error\/code must be integer/);
    expect(wireSchema.checkErrorResponse({ jsonrpc: '2.0', id: 4, error: { code: 1 } }))
      .toMatch(/error must have required property 'message'/);
  });

  test('HRESULTs in the unsigned spelling normalise to the signed one', () => {
    expect(normalizeHResult(0x80004005)).toBe(E_FAIL);
    expect(normalizeHResult(E_FAIL)).toBe(E_FAIL);
    expect(normalizeHResult(0xffffffff)).toBe(-1);
    expect(normalizeHResult(1)).toBe(1);
  });
});
