/**
 * A generated scenario is plain data: it can be printed, stored in a report, sent to a worker and
 * shrunk. Everything the simulated Player and the store world do is decided by it.
 */
import type { BSTR, DWORD, HRESULT } from '../protocol/types.ts';

export type BackendFault = 'http-500' | 'http-503' | 'network';

/** How the store back end answers the download request of one track. */
export type BackendFate =
  | { kind: 'healthy' }
  /** Late, but within a few hundred milliseconds. */
  | { kind: 'slow'; delayMs: number }
  /** The first `failures` answers fail, later ones succeed. */
  | { kind: 'transient'; failures: number; fault: BackendFault }
  /** Every answer fails. */
  | { kind: 'permanent'; fault: BackendFault };

/** What the media server does with the track's media URL. */
export type MediaFate = 'healthy' | 'http-404' | 'http-500' | 'network' | 'truncated';

/** One track of the scenario's catalog: its fate is the same wherever it recurs. */
export interface TrackSpec {
  id: DWORD;
  entitled: boolean;
  backend: BackendFate;
  media: MediaFate;
  /** The store's opaque params for this track (the reference store returns them with the URL). */
  params: BSTR;
  /** Size of the media body in bytes. */
  size: number;
  /** What the Player returns from downloadTrack for this track (S_OK, S_FALSE, or a failure). */
  playerReturn: HRESULT;
}

export interface ItemSpec { id: DWORD; price: BSTR }
export interface ContainerSpec { id: DWORD; type: string; price: BSTR; items: ItemSpec[] }

export type ListGetter = 'getContainerCount' | 'getContainer' | 'getContentCount' | 'getContentID';

/** A getter of the container list that fails (as a marshaled call to a vanished Player would). */
export interface ListFault { getter: ListGetter; afterCalls: number; hr: HRESULT }

/** When the Player calls `download` for a transaction. */
export type TransactionStart =
  | { kind: 'at-once' }
  /** After this many store/media answers of the scenario have been released: overlaps earlier work. */
  | { kind: 'after-answers'; count: number }
  /** After everything before it has settled. */
  | { kind: 'after-settled' }
  /** After the purchase at this index completed with success: the Player downloads what was bought. */
  | { kind: 'after-purchase'; purchase: number };

export interface TransactionSpec {
  cookie: DWORD;
  containers: ContainerSpec[];
  start: TransactionStart;
  listFault: ListFault | null;
}

/** What the store answers to a purchase, a licence renewal or a page message. */
export type FlowAnswer = 'accepted' | 'declined' | 'fault';

/** Buy(list, cookie): the store accepts, declines (402) or fails (500); canBuySilent is asked first. */
export interface PurchaseSpec { cookie: DWORD; containers: ContainerSpec[]; answer: FlowAnswer }

/** RefreshLicense(...): the store renews (accepted), refuses (403) or fails. */
export interface LicenceSpec {
  cookie: DWORD;
  contentId: DWORD;
  fLocal: boolean;
  /** The file's URL when local; NULL (a valid request) when the file is only on the store's servers. */
  url: BSTR;
  type: number;
  reason: string;
  /** VT_BSTR device name for RefreshForSync, else VT_EMPTY (null). */
  context: string | null;
  answer: FlowAnswer;
}

/** SendMessage(msg, param) from the discovery page: the store answers a result string, or fails. */
export interface MessageSpec { msg: BSTR; param: BSTR; answer: Exclude<FlowAnswer, 'declined'> }

export interface FlowsSpec { purchases: PurchaseSpec[]; licences: LicenceSpec[]; messages: MessageSpec[] }

export interface Scenario {
  tracks: TrackSpec[];
  transactions: TransactionSpec[];
  /** setCallback(null) while work is in flight: after this many answers were released. */
  detachAfterAnswers: number | null;
  /** Permutes the order in which held store answers, media answers and completions are released. */
  orderSalt: number;
  /** Purchases, licence refreshes and page messages (absent in scenarios of the download flow alone). */
  flows?: FlowsSpec;
}
