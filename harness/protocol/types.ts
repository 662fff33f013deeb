/** The contract's TypeScript projection of the COM interfaces (contract §1, §2, §5). */
import type { HRESULT } from './hresult.ts';
import type { RequestHandler } from 'msw';
import type { StoreWorld } from '../world/store-world.ts';

export type { HRESULT } from './hresult.ts';
export type { StoreWorld } from '../world/store-world.ts';

/** Unsigned 32-bit integer (DWORD / ULONG). */
export type DWORD = number;
/** A BSTR: null is the NULL BSTR; strings may hold U+0000 and unpaired surrogates. */
export type BSTR = string | null;

export enum TransactionType { NoTransaction = 0, Download = 1, Buy = 2 }

/** Player-implemented. Indices are zero-based; an index out of range throws HResultError(E_INVALIDARG). */
export interface ContentContainer {
  getID(): DWORD;
  getPrice(): BSTR;
  getType(): string;
  getContentCount(): DWORD;
  getContentPrice(index: DWORD): BSTR;
  getContentID(index: DWORD): DWORD;
}

/** Player-implemented. */
export interface ContentContainerList {
  getTransactionType(): TransactionType;
  getContainerCount(): DWORD;
  getContainer(index: DWORD): ContentContainer;
}

/**
 * Player-implemented; handed to the plug-in by setCallback. The completions of the later flows are
 * optional in the type so that hosts written for downloads alone still fit; wmpcert's Player always
 * provides them.
 */
export interface ContentPartnerCallback {
  downloadTrack(cookie: DWORD, trackURL: BSTR, serviceTrackID: DWORD, downloadParams: BSTR, hrDownload: HRESULT): HRESULT;
  /** End of a Buy: exactly once per Buy, on failure too, with the Buy's cookie. */
  buyComplete?(hrResult: HRESULT, buyCookie: DWORD): HRESULT;
  /** End of a licence refresh: exactly once per request, with its cookie and content ID. */
  refreshLicenseComplete?(cookie: DWORD, contentID: DWORD, hrRefresh: HRESULT): HRESULT;
  /** End of a page message: echoes the message and its parameter, adds the result. */
  sendMessageComplete?(msg: BSTR, param: BSTR, result: BSTR): HRESULT;
}

/** WMPStreamingType: the kind of content a licence or URL is for. */
export enum StreamingType { Unknown = 0, Music = 1, Video = 2, Radio = 3 }

/** CanBuySilent's out-parameters: the plug-in's own total price, and whether no dialog is needed. */
export interface CanBuySilentResult { totalPrice: BSTR; silentOK: boolean }

/** Plug-in-implemented. Every method may return its HRESULT directly or as a Promise. */
export interface ContentPartner {
  setCallback(callback: ContentPartnerCallback | null): HRESULT | Promise<HRESULT>;
  download(list: ContentContainerList, cookie: DWORD): HRESULT | Promise<HRESULT>;
  downloadTrackComplete(hrResult: HRESULT, contentID: DWORD, downloadTrackParam: BSTR): HRESULT | Promise<HRESULT>;
  /** Optional flows: a plug-in without them gets their rules reported as skipped, never passed. */
  canBuySilent?(list: ContentContainerList): CanBuySilentResult | Promise<CanBuySilentResult>;
  buy?(list: ContentContainerList, cookie: DWORD): HRESULT | Promise<HRESULT>;
  refreshLicense?(
    cookie: DWORD, fLocal: boolean, url: BSTR, type: StreamingType, contentID: DWORD, reason: BSTR, reasonContext: string | null,
  ): HRESULT | Promise<HRESULT>;
  sendMessage?(msg: BSTR, param: BSTR): HRESULT | Promise<HRESULT>;
}

export interface PluginEnv {
  /** Base URL of the store back end for this scenario, no trailing slash. */
  storeUrl: string;
  /** The fetch to use; requests to storeUrl and media URLs are served by the harness. */
  fetch: typeof fetch;
}

export interface PluginCandidate {
  kind: 'plugin';
  name: string;
  version?: string;
  /** A fresh plug-in instance. The harness makes a new one for every generated scenario. */
  create(env: PluginEnv): ContentPartner;
  /** Optional: msw handlers for this plug-in's own store back end, built from the scenario's store world. */
  storeHandlers?(world: StoreWorld): RequestHandler[];
  /**
   * Optional: the store's discovery page, whose `window.external.download(Type, IDs)` calls the EX
   * rules judge in headless Chromium — a path to an .html file, relative to this candidate's module,
   * or inline HTML (a string starting with `<`). The page must be self-contained: nothing but the
   * page itself is served. wmpcert loads it and clicks every `<button>` and `[data-wmpcert-click]`
   * element once. Without it, wmpcert plays a page it generates. See harness/discovery/README.md.
   */
  discoveryPage?: string;
}

export interface ContainerSpec { id: DWORD; type: string; price: BSTR; items: { id: DWORD; price: BSTR }[] }
export interface LibraryEntry { trackId: DWORD; bytes: number }
export interface PlayerEnv { fetch: typeof fetch }
export interface PlayerUnderTest {
  attach(partner: ContentPartner): void | Promise<void>;
  startDownload(containers: ContainerSpec[]): DWORD | Promise<DWORD>;
  library(): LibraryEntry[] | Promise<LibraryEntry[]>;
  detach(): void | Promise<void>;
}
export interface PlayerCandidate {
  kind: 'player';
  name: string;
  version?: string;
  create(env: PlayerEnv): PlayerUnderTest;
}

export type Candidate = PluginCandidate | PlayerCandidate;
