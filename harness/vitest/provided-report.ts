/**
 * The suites in suites/ read the certification that `wmpcert certify` ran: the CLI writes the report
 * first and provides its path to the vitest run (vitest's `provide`/`inject`). The CLI's vitest run
 * starts while the certification still runs (harness/runner/suites-worker.js): it then provides a
 * gate too, and the suites read the report once the gate says it is written.
 */
import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import type { CertificationReport } from '../report/model.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    wmpcertReportPath: string;
    /** A BroadcastChannel's name: ask it 'waiting', and read the report once it says 'written'. */
    wmpcertReportGate?: string;
  }
}

let cached: Promise<CertificationReport> | undefined;

export function providedReport(): Promise<CertificationReport> {
  cached ??= (async () => {
    const path = inject('wmpcertReportPath');
    if (!path) throw new Error('wmpcert: these suites are run by `wmpcert certify`; in your own vitest run use `certifyInVitest` from "wmpcert/vitest"');
    const gate = inject('wmpcertReportGate');
    if (gate) await reportWritten(gate);
    return JSON.parse(await readFile(path, 'utf8')) as CertificationReport;
  })();
  return cached;
}

/** Resolves once the suites worker says the report is written (it answers 'waiting' when it already is). */
function reportWritten(gateName: string): Promise<void> {
  return new Promise((resolve) => {
    const gate = new BroadcastChannel(gateName);
    gate.onmessage = (event) => {
      if ((event as MessageEvent).data !== 'written') return;
      gate.close();
      resolve();
    };
    gate.postMessage('waiting');
  });
}
