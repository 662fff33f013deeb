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

/** Player-implemented; handed to the plug-in by setCallback. */
export interface ContentPartnerCallback {
  downloadTrack(cookie: DWORD, trackURL: BSTR, serviceTrackID: DWORD, downloadParams: BSTR, hrDownload: HRESULT): HRESULT;
}

/** Plug-in-implemented. Every method may return its HRESULT directly or as a Promise. */
export interface ContentPartner {
  setCallback(callback: ContentPartnerCallback | null): HRESULT | Promise<HRESULT>;
  download(list: ContentContainerList, cookie: DWORD): HRESULT | Promise<HRESULT>;
  downloadTrackComplete(hrResult: HRESULT, contentID: DWORD, downloadTrackParam: BSTR): HRESULT | Promise<HRESULT>;
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
