/** WR-01: what an out-of-process plug-in writes on its stdout must be the wire protocol, nothing else. */
import type { DownloadAnalysis } from './download-analysis.ts';
import { asViolations, flatMapAll, type RuleCheck } from './rule-check.ts';

const WR_01: RuleCheck<DownloadAnalysis> = {
  id: 'WR-01',
  // Judged wherever a wire exists: the sandbox of an --exec candidate records every broken message.
  applies: (analysis) => analysis.events.some((event) => event.type === 'note' && event.text === WIRE_NOTE) || analysis.events.some((event) => event.type === 'protocol'),
  check: (analysis) => asViolations('WR-01', flatMapAll(analysis.events, (event) =>
    event.type === 'protocol' ? [{ message: `${event.message} (${event.kind}); the line: ${JSON.stringify(event.line)}`, events: [event.seq] }] : [])),
};

/** The note an out-of-process run starts with, so WR-01 counts its cases. */
export const WIRE_NOTE = 'the plug-in runs out of process, over JSON-RPC on stdio';

export const WIRE_CHECKS: readonly RuleCheck<DownloadAnalysis>[] = [WR_01];
