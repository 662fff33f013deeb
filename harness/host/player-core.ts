/**
 * The Player's side of the download protocol, shared by the harness's simulated Player and the
 * reference player fixture (so the harness's own Player logic is certified by the PL rules):
 * which `downloadTrack` calls it accepts (PL-07), when it downloads (only for a success hrDownload
 * it did not fail itself), the completion echoing params untouched (PL-02, PL-03) and the library
 * (PL-06). Media fetching, timing and recording are the host's business, passed in.
 */
import { E_INVALIDARG, E_UNEXPECTED, S_OK, failed, isHResult, type HRESULT } from '../protocol/hresult.ts';
import type { BSTR, ContentPartnerCallback } from '../protocol/types.ts';

export interface PlayerTransaction {
  cookie: number;
  trackIds: Set<number>;
  /** Tracks not yet given a call. */
  owed: Set<number>;
  accepting: boolean;
}

export interface MediaResult { hr: HRESULT; bytes: number }

export interface PlayerHost {
  /** Downloads the media: the completion's hrResult is a success exactly when it arrived whole (PL-05). */
  fetchMedia(trackId: number, url: string | null): Promise<MediaResult>;
  /** The Player's own return for an accepted success call: S_OK, or its own failure (no room on disk). */
  ownReturn(trackId: number): HRESULT;
  /** Awaited before each completion is sent (the harness orders completions there). */
  beforeCompletion(cookie: number, trackId: number): Promise<void>;
  sendCompletion(hrResult: HRESULT, trackId: number, params: BSTR): Promise<unknown>;
  /** Whether completions may still be sent (not after detach). */
  canComplete(): boolean;
}

export class PlayerCore {
  readonly transactions = new Map<number, PlayerTransaction>();
  /** Track ID → bytes, for every completion that was a success. */
  readonly library = new Map<number, number>();
  activeCallback: ContentPartnerCallback | null = null;
  /** Media downloads and completions still in progress. */
  pending = 0;

  constructor(private readonly host: PlayerHost) {}

  open(cookie: number, trackIds: Iterable<number>): PlayerTransaction {
    const ids = new Set(trackIds);
    const transaction: PlayerTransaction = { cookie, trackIds: ids, owed: new Set(ids), accepting: true };
    this.transactions.set(cookie, transaction);
    return transaction;
  }

  /** A transaction whose download failed takes no calls (decision 9). */
  close(transaction: PlayerTransaction): void {
    transaction.accepting = false;
    transaction.owed.clear();
  }

  /** Answers one downloadTrack call and starts the download when it is accepted. */
  answer(callback: ContentPartnerCallback, [cookie, url, trackId, params, hr]: unknown[]): HRESULT {
    if (callback !== this.activeCallback) return E_UNEXPECTED;
    const transaction = typeof cookie === 'number' ? this.transactions.get(cookie) : undefined;
    if (!transaction || !transaction.accepting || typeof trackId !== 'number' || !transaction.trackIds.has(trackId)) return E_INVALIDARG;
    if (!isHResult(hr) || (params !== null && typeof params !== 'string')) return E_INVALIDARG;
    transaction.owed.delete(trackId);
    if (failed(hr)) return S_OK; // refused by the store: nothing to download, no completion (PL-04)
    const own = this.host.ownReturn(trackId);
    if (failed(own)) return own;
    void this.download(transaction, trackId, typeof url === 'string' ? url : null, params);
    return own;
  }

  private async download(transaction: PlayerTransaction, trackId: number, url: string | null, params: BSTR): Promise<void> {
    this.pending++;
    try {
      const media = await this.host.fetchMedia(trackId, url);
      await this.host.beforeCompletion(transaction.cookie, trackId);
      if (!this.host.canComplete()) return;
      if (!failed(media.hr)) this.library.set(trackId, media.bytes);
      await this.host.sendCompletion(media.hr, trackId, params);
    } finally {
      this.pending--;
    }
  }

  owesCalls(): boolean {
    for (const transaction of this.transactions.values()) if (transaction.owed.size > 0) return true;
    return false;
  }

  /** setCallback(null): nothing more is owed. */
  forgetOwed(): void {
    for (const transaction of this.transactions.values()) transaction.owed.clear();
  }
}
