/** Test helper: certifies a player candidate object in this process, quietly, as the CLI would. */
import type { PlayerCandidate } from '../../harness/protocol/types.ts';
import type { CertificationReport } from '../../harness/report/model.ts';
import type { RuleLevel } from '../../harness/rules/catalog.ts';
import { certify, type LoadedCandidate } from '../../harness/runner/certify.ts';

export function loadedPlayer(candidate: PlayerCandidate, source = candidate.name): LoadedCandidate {
  return {
    candidate,
    info: { kind: 'player', name: candidate.name, version: candidate.version ?? null, source, sourceType: 'module', sha256: '0'.repeat(64) },
  };
}

export interface PlayerRun { runs: number; seed: number; level?: RuleLevel; timeoutMs?: number }

export function certifyPlayer(candidate: PlayerCandidate, run: PlayerRun): Promise<CertificationReport> {
  return certify(loadedPlayer(candidate), {
    runs: run.runs, seed: run.seed, timeoutMs: run.timeoutMs ?? 3000, level: run.level ?? 'recommended', shard: null,
    replayCommand: (rule) => `npx wmpcert replay report.json --rule ${rule}`,
    log: () => {},
  });
}

export function failedRules(report: CertificationReport): string[] {
  return report.rules.filter((rule) => rule.status === 'failed').map((rule) => rule.id);
}
