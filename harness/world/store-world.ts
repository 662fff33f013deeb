/**
 * The store world of one scenario: every track's fate (entitled or not, back-end fault, media fault)
 * and the decisions the reference store API and the media server make from it. Candidates with their
 * own store API get this object in `storeHandlers(world)` and mock their API from the same decisions.
 */
import type { BSTR } from '../protocol/types.ts';
import type { BackendFault, FlowAnswer, FlowsSpec, TrackSpec } from '../scenario/model.ts';

/** The store back end's answer to one download request. */
export type BackendDecision =
  | { kind: 'entitled'; url: string; params: BSTR }
  | { kind: 'refused' }
  | { kind: 'fault'; fault: BackendFault }
  | { kind: 'unknown-track' };

/** The media server's answer to one media URL. */
export type MediaDecision =
  | { kind: 'body'; bytes: Uint8Array; /** bytes.length, when it is known without making the bytes */ size?: number; truncateAt: number | null }
  | { kind: 'status'; status: 404 | 500 }
  | { kind: 'network-error' }
  | { kind: 'unknown-media' };

export interface WorldTiming {
  /** Resolves when the scheduler releases this answer (answers are held while `download` runs). */
  hold(label: string): Promise<void>;
  /** A real delay, for slow back ends. */
  sleep(ms: number): Promise<void>;
  /** Records what the store was asked to sell (the trace's evidence for BY-05). */
  recordPurchaseRequest?(request: PurchaseRequest): void;
}

/** A purchase the store was asked for: the request's cookie and tracks as sent (tracks null when a store API does not say). */
export interface PurchaseRequest { cookie: unknown; tracks: unknown[] | null }

/** The trace note that records a purchase request; flow-rules.ts reads it back (BY-05). */
export const PURCHASE_REQUEST_NOTE = 'the store was asked to sell: ';
/** At most this many track IDs of one request are kept in the trace. */
export const MAX_RECORDED_PURCHASE_TRACKS = 1_000;

export class StoreWorld {
  readonly storeUrl: string;
  readonly mediaUrl: string;
  readonly tracks: readonly TrackSpec[];
  private readonly byId = new Map<number, TrackSpec>();
  private readonly attempts = new Map<number, number>();
  private readonly timing: WorldTiming;
  private completionCount = 0;

  /** Purchases, licence renewals and page messages the store knows about in this scenario. */
  readonly flows: FlowsSpec;

  constructor(tracks: readonly TrackSpec[], urls: { storeUrl: string; mediaUrl: string }, timing: WorldTiming, flows?: FlowsSpec) {
    this.tracks = tracks;
    this.flows = flows ?? { purchases: [], licences: [], messages: [] };
    this.storeUrl = urls.storeUrl;
    this.mediaUrl = urls.mediaUrl;
    this.timing = timing;
    for (const track of tracks) this.byId.set(track.id, track);
  }

  track(id: number): TrackSpec | undefined {
    return this.byId.get(id);
  }

  /** The media URL the store hands out for a track. */
  mediaUrlFor(trackId: number): string {
    return `${this.mediaUrl}/media/${trackId}.wma`;
  }

  /** Parses a media URL back to its track ID (undefined when the URL is not one the store issued). */
  trackOfMediaUrl(url: string): number | undefined {
    const prefix = `${this.mediaUrl}/media/`;
    if (!url.startsWith(prefix) || !url.endsWith('.wma')) return undefined;
    const id = parseDword(url.slice(prefix.length, -'.wma'.length));
    return id !== undefined && this.byId.has(id) ? id : undefined;
  }

  /** Decides one back-end answer, counting attempts so that transient faults pass after k failures. */
  async decideDownload(trackIdText: string): Promise<BackendDecision> {
    const trackId = parseDword(trackIdText);
    const track = trackId === undefined ? undefined : this.byId.get(trackId);
    const attempt = trackId === undefined ? 0 : (this.attempts.get(trackId) ?? 0) + 1;
    if (trackId !== undefined) this.attempts.set(trackId, attempt);
    await this.timing.hold(`store:${trackIdText}:${attempt}`);
    if (!track) return { kind: 'unknown-track' };
    const backend = track.backend;
    if (backend.kind === 'slow') await this.timing.sleep(backend.delayMs);
    if (backend.kind === 'permanent') return { kind: 'fault', fault: backend.fault };
    if (backend.kind === 'transient' && attempt <= backend.failures) return { kind: 'fault', fault: backend.fault };
    if (!track.entitled) return { kind: 'refused' };
    return { kind: 'entitled', url: this.mediaUrlFor(track.id), params: track.params };
  }

  /** Decides the media server's answer for a URL. */
  async decideMedia(url: string): Promise<MediaDecision> {
    const trackId = this.trackOfMediaUrl(url);
    await this.timing.hold(`media:${url}`);
    if (trackId === undefined) return { kind: 'unknown-media' };
    const track = this.byId.get(trackId)!;
    switch (track.media) {
      case 'http-404': return { kind: 'status', status: 404 };
      case 'http-500': return { kind: 'status', status: 500 };
      case 'network': return { kind: 'network-error' };
      case 'truncated': return mediaBody(track, Math.floor(track.size / 2));
      case 'healthy': return mediaBody(track, null);
    }
  }

  /** The store's answer to a purchase, by the Buy's cookie (undefined: the store knows no such purchase). */
  async decidePurchase(cookie: unknown, tracks?: unknown): Promise<FlowAnswer | undefined> {
    // A store API of its own that does not pass the tracks leaves them unjudged (null), not wrong.
    this.timing.recordPurchaseRequest?.({ cookie, tracks: Array.isArray(tracks) ? tracks.slice(0, MAX_RECORDED_PURCHASE_TRACKS) : tracks === undefined ? null : [tracks] });
    await this.timing.hold(`purchase:${String(cookie)}`);
    return this.flows.purchases.find((purchase) => purchase.cookie === cookie)?.answer;
  }

  /** The store's answer to a licence renewal, by the request's cookie (else the first for the content ID). */
  async decideLicence(contentIdText: string, cookie: unknown): Promise<FlowAnswer | undefined> {
    await this.timing.hold(`licence:${contentIdText}:${String(cookie)}`);
    const contentId = parseDword(contentIdText);
    const forContent = this.flows.licences.filter((licence) => licence.contentId === contentId);
    return (forContent.find((licence) => licence.cookie === cookie) ?? forContent[0])?.answer;
  }

  /** The store's answer to a page message: a result string that names the message, or a fault. */
  async decideMessage(msg: unknown, param: unknown): Promise<{ answer: 'accepted' | 'fault'; result: string } | undefined> {
    await this.timing.hold(`message:${String(msg)}`);
    const index = this.flows.messages.findIndex((message) => message.msg === msg && message.param === param);
    if (index < 0) return undefined;
    return { answer: this.flows.messages[index]!.answer, result: `handled message ${index}` };
  }

  /** A plug-in reported a completion (or `count` of them at once) to its store (the reference store accepts every report). */
  recordCompletionReport(count = 1): void {
    this.completionCount += count;
  }

  get completionReports(): number {
    return this.completionCount;
  }
}

/**
 * A body decision whose bytes are made only when read: the Player's own downloads need only their
 * length. A class, not a literal with a getter (that makes a closure and an accessor per track).
 */
class MediaBody {
  readonly kind = 'body';
  readonly size: number;
  constructor(private readonly track: TrackSpec, readonly truncateAt: number | null) {
    this.size = track.size;
  }

  get bytes(): Uint8Array {
    return mediaBytes(this.track);
  }
}

function mediaBody(track: TrackSpec, truncateAt: number | null): MediaDecision {
  return new MediaBody(track, truncateAt);
}

/** Deterministic media content: the bytes depend on the track only. */
export function mediaBytes(track: Pick<TrackSpec, 'id' | 'size'>): Uint8Array {
  const bytes = new Uint8Array(track.size);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (track.id + i) & 0xff;
  return bytes;
}

/** A decimal DWORD as the store's URL carries it, or undefined. */
export function parseDword(text: string): number | undefined {
  if (!/^(0|[1-9][0-9]{0,9})$/.test(text)) return undefined;
  const value = Number(text);
  return value <= 0xffffffff ? value : undefined;
}
