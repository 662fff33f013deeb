/**
 * The sandbox that probed an --exec candidate (its `initialize` answer gives the report its name),
 * kept for the certification that follows: a child that serves many instances is then started
 * once, not twice. Not taken within a few seconds (a command that only loads), it is closed.
 */
import type { ExecSandbox } from './exec-sandbox.ts';

const UNCLAIMED_MS = 5_000;

let parked: { key: string; sandbox: ExecSandbox; timer: NodeJS.Timeout } | undefined;

const keyOf = (command: string, cwd: string | undefined) => JSON.stringify([command, cwd ?? process.cwd()]);

export function parkExecSandbox(sandbox: ExecSandbox, command: string, cwd: string | undefined): void {
  void takeParkedExecSandbox('', undefined)?.close();
  const timer = setTimeout(() => {
    if (parked?.sandbox === sandbox) parked = undefined;
    void sandbox.close();
  }, UNCLAIMED_MS);
  parked = { key: keyOf(command, cwd), sandbox, timer };
}

/** The parked sandbox of this command, run in this folder; any other parked one is closed. */
export function takeParkedExecSandbox(command: string, cwd: string | undefined): ExecSandbox | undefined {
  const found = parked;
  if (!found) return undefined;
  parked = undefined;
  clearTimeout(found.timer);
  if (found.key === keyOf(command, cwd)) return found.sandbox;
  void found.sandbox.close();
  return undefined;
}
