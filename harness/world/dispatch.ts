/**
 * Answers a request from a list of msw handlers, as msw's `getResponse(handlers, request)` does, with
 * a fast path for the harness's own handlers (the reference store API and the media server, built by
 * `route`): their method and URL pattern are known, so a request goes straight to the resolver of
 * the one that matches, its URL matched by a regular expression compiled once.
 *
 * msw's own path, kept for every other handler (a candidate's `storeHandlers`), costs ~250 µs of CPU
 * per request and per handler tried: it clones the request, parses cookies through tough-cookie,
 * recompiles the path pattern with path-to-regexp, and creates and aborts an AbortController (whose
 * DOMException captures a stack) — most of the harness's time per track before this fast path.
 *
 * Same answers as msw: handlers are tried in order; the first response wins; a route whose URL or
 * method does not match is skipped (msw's run returns null for it); the URL is matched the way msw's
 * matchRequestUrl does it (the same path-to-regexp that msw resolves, the same coercion of the path,
 * against the request's origin + pathname, case-insensitive, an optional trailing delimiter); params
 * are decoded with decodeURIComponent; a resolver that throws a Response answers with it.
 * test/world/dispatch.test.ts checks the matching against msw's matchRequestUrl.
 */
import { createRequire } from 'node:module';
import { http, type HttpHandler, type RequestHandler } from 'msw';

type Params = Record<string, string | readonly string[] | undefined>;
/**
 * What a route reads of its request. A Request has it; so has the lighter stand-in the harness's
 * fetch makes for a plain GET (no AbortSignal, no body stream: see scenario-fetch.ts).
 */
export interface RouteRequest { readonly url: string; readonly method: string; json(): Promise<unknown> }
/** What the harness's resolvers use of msw's resolver info: the request and the path params. */
export type RouteResolver = (info: { request: RouteRequest; params: Params }) => Response | Promise<Response>;

interface Route { method: string; match: (cleanUrl: string) => Params | null; resolver: RouteResolver }

const routes = new WeakMap<RequestHandler, Route>();

type PathMatch = (path: string) => false | { params: Record<string | number, string | string[]> };
/** path-to-regexp as msw itself resolves it (msw's dependency, not ours), so patterns compile the same. */
const pathToRegexp = createRequire(createRequire(import.meta.url).resolve('msw')) ('path-to-regexp') as {
  match(path: string, options: { decode: (value: string) => string }): PathMatch;
};

/** msw's coercePath (utils/matching/matchRequestUrl): wildcards become groups, port and scheme colons are escaped. */
function coercePath(path: string): string {
  return path
    .replace(/([:a-zA-Z_-]*)(\*{1,2})+/g, (_, parameterName: string, wildcard: string) => {
      const expression = '(.*)';
      if (!parameterName) return expression;
      return parameterName.startsWith(':') ? `${parameterName}${wildcard}` : `${parameterName}${expression}`;
    })
    .replace(/([^/])(:)(?=(?:\d+|\(\.\*\))(?=\/|$))/, '$1\\$2')
    .replace(/^([^/]+)(:)(?=\/\/)/, '$1\\$2');
}

/** A matcher for an absolute URL pattern, compiled once; null when msw would need more (a base URL). */
function compileMatcher(path: string): ((cleanUrl: string) => Params | null) | null {
  if (!/^([a-z][a-z\d+\-.]*:)?\/\//i.test(path)) return null;
  // msw's cleanUrl: a pattern keeps its trailing "?", loses a query or fragment.
  const cleanPath = path.endsWith('?') ? path : path.replace(/[?|#].*$/g, '');
  let match: PathMatch;
  try {
    match = pathToRegexp.match(coercePath(cleanPath), { decode: decodeURIComponent });
  } catch {
    return null; // msw fails on this pattern at every request: leave that to msw
  }
  return (cleanUrl) => {
    const result = match(cleanUrl);
    return result === false ? null : result.params as Params;
  };
}

/** An msw handler (usable anywhere msw is) that `respond` serves without msw's per-request machinery. */
export function route(method: 'GET' | 'POST', path: string, resolver: RouteResolver): HttpHandler {
  const handler = (method === 'GET' ? http.get : http.post)(path, resolver as Parameters<typeof http.get>[1]);
  const match = compileMatcher(path);
  if (match) routes.set(handler, { method, match, resolver });
  return handler;
}

let requestIds = 0;

/** The URL a Request made from this text carries; null where `new Request` refuses it (not absolute, or with credentials). */
export function requestUrlOf(text: string): string | null {
  if (!URL.canParse(text)) return null;
  const parsed = new URL(text);
  if (parsed.username || parsed.password) return null;
  // The text itself when it is the URL already: a trace keeps one string per request, not two.
  return parsed.href === text ? text : parsed.href;
}

/** The path of a URL as msw matches it: origin and pathname, no query or fragment. */
function cleanUrlOf(url: string): string {
  const parsed = new URL(url);
  return [parsed.origin, parsed.pathname].filter(Boolean).join('');
}

/**
 * The route that would answer a request, when only routes come before it (undefined: a handler
 * that is not a route comes first, and only `respond` can tell what it does; null: nothing serves
 * it). The Player's own downloads use it to take the media server's answer without a Response.
 */
export function servingRoute(handlers: readonly RequestHandler[], method: string, url: string): RequestHandler | null | undefined {
  const cleanUrl = cleanUrlOf(url);
  for (const handler of handlers) {
    const direct = routes.get(handler);
    if (!direct) return undefined;
    if (direct.match(cleanUrl) && direct.method === method.toUpperCase()) {
      (handler as { isUsed: boolean }).isUsed = true;
      return handler;
    }
  }
  return null;
}

/**
 * The response the handlers give this request (undefined: none of them serves it), as msw's getResponse.
 * `forHandlers` makes the Request that handlers other than routes get (made once, on first need):
 * the caller's fetch can then hand routes a cheaper request (see scenario-fetch.ts).
 */
export async function respond(handlers: readonly RequestHandler[], request: Request, forHandlers?: () => Request): Promise<Response | undefined>;
export async function respond(handlers: readonly RequestHandler[], request: RouteRequest, forHandlers: () => Request): Promise<Response | undefined>;
export async function respond(handlers: readonly RequestHandler[], request: RouteRequest, forHandlers?: () => Request): Promise<Response | undefined> {
  let handlerRequest: Request | undefined;
  let cleanUrl: string | undefined;
  let requestId: string | undefined;
  let response: Response | undefined;
  for (const handler of handlers) {
    const direct = routes.get(handler);
    if (direct) {
      cleanUrl ??= cleanUrlOf(request.url);
      // URL first, method second, as msw (parse, then predicate): a malformed escape throws even for another method.
      const params = direct.match(cleanUrl);
      if (!params || direct.method !== request.method.toUpperCase()) continue;
      (handler as { isUsed: boolean }).isUsed = true;
      try {
        response = await direct.resolver({ request, params });
      } catch (error) {
        if (!(error instanceof Response)) throw error;
        response = error;
      }
    } else {
      requestId ??= `wmpcert-${++requestIds}`;
      handlerRequest ??= forHandlers ? forHandlers() : request as Request;
      const result = await handler.run({ request: handlerRequest, requestId });
      // As msw's executeHandlers: the last handler tried decides, the first response ends the search.
      response = result?.response;
    }
    if (response) return response;
  }
  return response;
}
