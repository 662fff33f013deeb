/**
 * The baseline of `overheadRatio`: a minimal Player that drives a plug-in through a scenario on the
 * same store fake as the harness (the scenario's StoreWorld and the reference msw handlers, asked
 * through msw's own `getResponse`), with nothing else: no trace, no judging, no answer scheduling,
 * no sandbox, no settle detection. It calls setCallback, download per transaction, answers
 * downloadTrack, fetches the media, sends downloadTrackComplete, and knows the scenario is over by
 * counting what is still owed (calls per track, downloads, completions, the plug-in's requests).
 *
 * It only plays what both it and the harness play the same way: scenarios without a detach, list
 * faults or flows (bench/scenarios.ts prepares them). Store faults, refusals, media faults and the
 * Player's own failures are kept.
 */
import { getResponse, type RequestHandler } from 'msw';
import { failed, S_OK, E_FAIL, NS_E_WMP_DOWNLOAD_FAILED, E_UNEXPECTED, E_INVALIDARG } from '../harness/protocol/hresult.ts';
import { TransactionType, type ContentContainer, type ContentContainerList, type ContentPartner, type ContentPartnerCallback, type PluginCandidate } from '../harness/protocol/types.ts';
import type { ContainerSpec, Scenario } from '../harness/scenario/model.ts';
import { mediaHandlers, storeApiHandlers } from '../harness/world/reference-handlers.ts';
import { StoreWorld } from '../harness/world/store-world.ts';

/** The harness's dispatch (absent from a checkout older than it: bench/run.ts --root measures those too). */
const harnessDispatch = await import('../harness/world/dispatch.ts').then((module) => module.respond, () => undefined);

const STORE_URL = 'http://store.wmpcert.test';
const MEDIA_URL = 'http://media.wmpcert.test';

function plainList(containers: ContainerSpec[]): ContentContainerList {
  const container = (spec: ContainerSpec): ContentContainer => ({
    getID: () => spec.id,
    getPrice: () => spec.price,
    getType: () => spec.type,
    getContentCount: () => spec.items.length,
    getContentPrice: (index) => spec.items[index]!.price,
    getContentID: (index) => spec.items[index]!.id,
  });
  return {
    getTransactionType: () => TransactionType.Download,
    getContainerCount: () => containers.length,
    getContainer: (index) => container(containers[index]!),
  };
}

/**
 * Plays one scenario; resolves when nothing is owed any more. `dispatch` says how the msw handlers are
 * asked: through msw's getResponse (a minimal Player's way), or through the harness's own dispatch.
 */
export function driveDirect(candidate: PluginCandidate, scenario: Scenario, dispatch: 'msw' | 'harness' = 'msw'): Promise<void> {
  return new Promise<void>((resolveDone, rejectDone) => {
    let answers = 0;
    let outstanding = 0;
    let nextTransaction = 0;
    const tracks = new Map(scenario.tracks.map((track) => [track.id, track]));
    const owed = new Map<number, Set<number>>();
    const world = new StoreWorld(scenario.tracks, { storeUrl: STORE_URL, mediaUrl: MEDIA_URL }, {
      // Answers flow at once; only counted, so "after k answers" starts mean the same as in the harness.
      hold: () => { answers++; queueMicrotask(startDue); return Promise.resolve(); },
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    });
    const handlers: RequestHandler[] = [...storeApiHandlers(world), ...mediaHandlers(world)];
    if (dispatch === 'harness' && !harnessDispatch) throw new Error('this checkout has no harness/world/dispatch.ts');
    const serve = dispatch === 'msw' ? (request: Request) => getResponse(handlers, request) : (request: Request) => harnessDispatch!(handlers, request);

    const begin = () => { outstanding++; };
    const end = () => {
      outstanding--;
      if (outstanding === 0) queueMicrotask(startDue);
    };
    const fetchDirect = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      begin();
      try {
        const response = await serve(new Request(input, init));
        if (!response || response.type === 'error') throw new TypeError('fetch failed');
        return response;
      } finally {
        end();
      }
    };

    let partner: ContentPartner;
    const download = async (trackId: number, url: string | null, params: string | null) => {
      begin();
      try {
        let hr: number = E_FAIL;
        try {
          const response = await serve(new Request(url ?? ''));
          if (response && response.type !== 'error') {
            const length = Number(response.headers.get('content-length') ?? NaN);
            let bytes = 0;
            try {
              if (response.body) for await (const chunk of response.body) bytes += (chunk as Uint8Array).byteLength;
              hr = response.status === 200 && (Number.isNaN(length) || bytes === length) ? S_OK : NS_E_WMP_DOWNLOAD_FAILED;
            } catch {
              hr = NS_E_WMP_DOWNLOAD_FAILED;
            }
          }
        } catch {
          hr = E_FAIL;
        }
        await partner.downloadTrackComplete(hr, trackId, params);
      } finally {
        end();
      }
    };

    const callback: ContentPartnerCallback = {
      downloadTrack(cookie, url, trackId, params, hr) {
        const open = owed.get(cookie);
        if (!open || !tracks.has(trackId)) return E_INVALIDARG;
        if (open.delete(trackId) && open.size === 0) queueMicrotask(startDue);
        if (failed(hr)) return S_OK;
        const own = tracks.get(trackId)!.playerReturn;
        if (failed(own)) return own;
        void download(trackId, url, params);
        return own;
      },
      buyComplete: () => E_UNEXPECTED,
      refreshLicenseComplete: () => E_UNEXPECTED,
      sendMessageComplete: () => E_UNEXPECTED,
    };

    const idle = () => outstanding === 0 && [...owed.values()].every((open) => open.size === 0);
    function startDue(): void {
      try {
        while (nextTransaction < scenario.transactions.length) {
          const spec = scenario.transactions[nextTransaction]!;
          const due = spec.start.kind === 'at-once'
            || (spec.start.kind === 'after-answers' && answers >= spec.start.count)
            || idle();
          if (!due) break;
          nextTransaction++;
          owed.set(spec.cookie, new Set(spec.containers.flatMap((container) => container.items.map((item) => item.id))));
          void partner.download(plainList(spec.containers), spec.cookie);
        }
        if (nextTransaction === scenario.transactions.length && idle()) {
          // A retry backoff may still be pending: its track is owed, so idle() is false until it is served.
          // Work the plug-in queued for its next turn (its batched completion report) is waited for too.
          setImmediate(() => { if (idle()) finish(); });
        }
      } catch (error) {
        rejectDone(error);
      }
    }
    let finished = false;
    function finish(): void {
      if (finished) return;
      finished = true;
      void Promise.resolve(partner.setCallback(null)).then(() => resolveDone(), rejectDone);
    }

    partner = candidate.create({ storeUrl: STORE_URL, fetch: fetchDirect as typeof fetch });
    void Promise.resolve(partner.setCallback(callback)).then(startDue, rejectDone);
  });
}
