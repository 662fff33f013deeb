/**
 * Several sandboxes of one candidate, played side by side. A scenario spends most of its wall time
 * waiting (the store's latencies, the quiet windows that end it), so exploring on two lanes takes
 * little more than half the time of one. Which lane plays which scenario is fixed by the exploration
 * (harness/runner/explore.ts), never by timing: each lane's history of scenarios, and with it any
 * state a candidate keeps in its module, is the same on every run of a seed. Everything sequential
 * (shrinking, twins, replay, the discovery page) runs on lane 0.
 */
import type { ScenarioTiming } from '../host/timing.ts';
import type { Trace } from '../trace/events.ts';
import type { Sandbox } from './sandbox.ts';
import { PRINTED_LIMIT, tailOf } from './bounded-text.ts';

/**
 * Lanes of an exploration. A constant, not the machine's core count: the lane a scenario runs on is
 * part of what a seed reproduces.
 */
export const EXPLORATION_LANES = 2;

/**
 * Lanes of a command's exploration (--exec). Its processes start in a few tens of ms (a worker loads
 * tsx, msw and the harness, ~0.4 s of CPU; a COM DLL's bridge starts Wine: those keep two), and its
 * scenarios wait on them, on pipes and on the loopback server, more than a worker's do: a third lane
 * shortens a certification of the reference wire plug-ins by ~0.2 s (Node) and ~0.35 s (Python).
 */
export const COMMAND_LANES = 3;

export class SandboxPool<S> implements Sandbox<S> {
  /** Lane 0 is given; the others are opened at their first scenario (a replay never opens them). */
  private readonly members: (Promise<Sandbox<S>> | undefined)[];
  private readonly opened: Sandbox<S>[] = [];

  constructor(first: Sandbox<S>, readonly lanes: number, private readonly openLane: (lane: number) => Sandbox<S> | Promise<Sandbox<S>>) {
    this.members = Array.from({ length: Math.max(1, lanes) }, (_none, lane) => (lane === 0 ? Promise.resolve(first) : undefined));
    this.opened.push(first);
  }

  async run(scenario: S, timing: ScenarioTiming, lane = 0): Promise<Trace> {
    const index = lane % this.lanes;
    const member = this.members[index] ??= Promise.resolve(this.openLane(index)).then((opened) => { this.opened.push(opened); return opened; });
    return (await member).run(scenario, timing);
  }

  /** What the candidate printed, lane by lane, within the one bound a report keeps (each lane its share). */
  output(): string {
    const printed = this.opened.map((member) => member.output()).filter((text) => text.length > 0);
    if (printed.length <= 1) return printed.join('');
    const share = Math.floor(PRINTED_LIMIT / printed.length);
    return printed.map((text, lane) => `[sandbox ${lane + 1}]\n${tailOf(text, share)}`).join('\n');
  }

  async close(): Promise<void> {
    await Promise.all(this.members.map(async (member) => (await member?.catch(() => undefined))?.close()));
  }
}
