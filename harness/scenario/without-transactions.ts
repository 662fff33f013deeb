/**
 * A scenario with some of its transactions taken out: the deletion pass run after fast-check's
 * shrinking (harness/runner/scenario-executor.ts). fast-check does not retry removing an array
 * element once it has moved on to shrinking the others, so a transaction emptied late in the search
 * stays in the counterexample; taking it out here is what Hypothesis's deletion passes do.
 *
 * A pure function of the scenario and the indices, so replay rebuilds it from seed, path and indices.
 */
import type { Scenario } from './model.ts';

export function withoutTransactions(scenario: Scenario, dropped: readonly number[]): Scenario {
  if (dropped.length === 0) return scenario;
  const gone = new Set(dropped);
  // The others keep their starts: a first transaction that waits (for answers, for all to settle)
  // starts when the Player is idle, which keeps the delay a timing bug may need.
  return { ...scenario, transactions: scenario.transactions.filter((_tx, index) => !gone.has(index)) };
}
