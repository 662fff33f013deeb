/** The plug-in's lifecycle: LC-01 and LC-02. */
import { hresultName, isHResult, succeeded } from '../protocol/hresult.ts';
import { callOf, type DownloadAnalysis } from './download-analysis.ts';
import { asViolations, flatMapAll, NONE, type Finding, type RuleCheck } from './rule-check.ts';

type Check = RuleCheck<DownloadAnalysis>;

/** The callback's methods: what a plug-in may no longer call once it was detached. */
const CALLBACK_METHODS = new Set(['downloadTrack', 'buyComplete', 'refreshLicenseComplete', 'sendMessageComplete']);

const LC_01: Check = {
  id: 'LC-01',
  applies: () => true,
  check: (analysis) => {
    const detachedAt = analysis.detachReturnSeq;
    if (detachedAt === undefined) return [];
    return asViolations('LC-01', analysis.events
      .filter((event) => event.type === 'call' && event.seq > detachedAt && CALLBACK_METHODS.has(event.method))
      .map((event): Finding => ({
        message: `${(event as { method: string }).method}(${(event as { args: unknown[] }).args.map((arg) => JSON.stringify(arg)?.slice(0, 40)).join(', ')}) was called after setCallback(null) had returned`,
        events: [detachedAt, event.seq],
      })));
  },
};

const LC_02: Check = {
  id: 'LC-02',
  applies: () => true,
  check: (analysis) => asViolations('LC-02', flatMapAll(analysis.events, (event): readonly Finding[] => {
    if (event.type !== 'return' || event.method !== 'setCallback') return NONE;
    if (!event.threw && !event.timedOut && isHResult(event.value) && succeeded(event.value)) return NONE;
    // Not a closure over `event` here: that would allocate a context at every one of a million events.
    const call = callOf(analysis.events, event.callId);
    const given = call?.args[0] === null ? 'null' : 'a callback';
    const outcome = event.threw ? `threw ${event.threw.name}` : event.timedOut ? 'did not return' : isHResult(event.value) ? `returned ${hresultName(event.value)}` : `returned ${JSON.stringify(event.value)}`;
    return [{ message: `setCallback(${given}) ${outcome}; a success HRESULT is expected`, events: [call?.seq ?? event.seq, event.seq] }];
  })),
};

export const LIFECYCLE_CHECKS: readonly Check[] = [LC_01, LC_02];
