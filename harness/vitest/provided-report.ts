/**
 * The suites in suites/ read the certification that `wmpcert certify` ran: the CLI writes the report
 * first and provides its path to the vitest run (vitest's `provide`/`inject`).
 */
import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import type { CertificationReport } from '../report/model.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    wmpcertReportPath: string;
  }
}

let cached: Promise<CertificationReport> | undefined;

export function providedReport(): Promise<CertificationReport> {
  cached ??= (async () => {
    const path = inject('wmpcertReportPath');
    if (!path) throw new Error('wmpcert: these suites are run by `wmpcert certify`; in your own vitest run use `certifyInVitest` from "wmpcert/vitest"');
    return JSON.parse(await readFile(path, 'utf8')) as CertificationReport;
  })();
  return cached;
}
