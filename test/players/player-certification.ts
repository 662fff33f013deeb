/**
 * Test helper: certifies a player candidate, quietly, as the CLI would: the object in this thread, or
 * with `modulePath` its module file in a worker thread (the player's sandbox).
 */
import type { PlayerCandidate } from '../../harness/protocol/types.ts';
import type { CertificationReport } from '../../harness/report/model.ts';
import type { RuleLevel } from '../../harness/rules/catalog.ts';
import { certify, type LoadedCandidate } from '../../harness/runner/certify.ts';

export function loadedPlayer(candidate: PlayerCandidate, source = candidate.name, modulePath?: string): LoadedCandidate {
  return {
    candidate,
    info: { kind: 'player', name: candidate.name, version: candidate.version ?? null, source, sourceType: 'module', sha256: '0'.repeat(64) },
    ...(modulePath === undefined ? {} : { modulePath }),
  };
}

export interface PlayerRun { runs: number; seed: number; level?: RuleLevel; timeoutMs?: number; modulePath?: string }

export function certifyPlayer(candidate: PlayerCandidate, run: PlayerRun): Promise<CertificationReport> {
  return certify(loadedPlayer(candidate, candidate.name, run.modulePath), {
    runs: run.runs, seed: run.seed, timeoutMs: run.timeoutMs ?? 3000, level: run.level ?? 'recommended', shard: null,
    replayCommand: (rule) => `npx wmpcert replay report.json --rule ${rule}`,
    log: () => {},
  });
}

export function failedRules(report: CertificationReport): string[] {
  return report.rules.filter((rule) => rule.status === 'failed').map((rule) => rule.id);
}
