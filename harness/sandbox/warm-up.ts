/**
 * A worker's warm-up, before its candidate loads: one small scenario played by a plug-in of the
 * harness's own, through everything a scenario uses (the store world, msw's handlers, fetch,
 * responses, the trace). Those load lazily on first use; under a TypeScript candidate every such
 * import goes through tsx's hooks thread, and on a busy machine the first scenario could then fall
 * silent long enough to be taken for a blocked thread (DL-16). The warm-up pays that cost where no
 * candidate runs and nothing is judged.
 */
import { ScenarioRun } from '../host/simulated-player.ts';
import { scenarioTiming } from '../host/timing.ts';
import { E_FAIL, S_OK } from '../protocol/hresult.ts';
import type { ContentPartnerCallback, PluginCandidate } from '../protocol/types.ts';
import type { Scenario } from '../scenario/model.ts';

const WARM_UP_PLUGIN: PluginCandidate = {
  kind: 'plugin',
  name: 'wmpcert warm-up',
  create(env) {
    let callback: ContentPartnerCallback | null = null;
    return {
      setCallback(cb) { callback = cb; return S_OK; },
      download(list, cookie) {
        const ids: number[] = [];
        for (let c = 0; c < list.getContainerCount(); c++) {
          const container = list.getContainer(c);
          for (let i = 0; i < container.getContentCount(); i++) ids.push(container.getContentID(i));
        }
        void Promise.all(ids.map(async (id) => {
          const res = await env.fetch(`${env.storeUrl}/v1/tracks/${id}/download?cookie=${cookie}`).catch(() => null);
          const body = res?.ok ? await res.json() as { url: string; params: string | null } : null;
          callback?.downloadTrack(cookie, body?.url ?? null, id, body?.params ?? null, body ? S_OK : E_FAIL);
        }));
        return S_OK;
      },
      downloadTrackComplete() { return S_OK; },
    };
  },
};

const WARM_UP_SCENARIO: Scenario = {
  tracks: [{ id: 1, entitled: true, backend: { kind: 'healthy' }, media: 'healthy', params: 'warm-up', size: 16, playerReturn: S_OK }],
  transactions: [{ cookie: 1, containers: [{ id: 7, type: 'CPAlbumID', price: null, items: [{ id: 1, price: null }] }], start: { kind: 'at-once' }, listFault: null }],
  detachAfterAnswers: null,
  orderSalt: 0,
};

export async function warmUp(): Promise<void> {
  await new ScenarioRun(WARM_UP_PLUGIN, WARM_UP_SCENARIO, scenarioTiming(5_000)).run();
}
