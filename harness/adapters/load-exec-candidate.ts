/**
 * Loads an out-of-process candidate (`--exec "<command>"`): starts it once to learn its name and
 * version through `initialize`. A command that does not start, or a loopback port that cannot be
 * bound, is a set-up error (exit 2), never a verdict.
 */
import { createHash } from 'node:crypto';
import { UsageError } from '../errors.ts';
import * as messages from '../messages.ts';
import type { LoadedCandidate } from '../runner/certify.ts';
import { ExecSandbox } from '../sandbox/exec-sandbox.ts';
import { parkExecSandbox } from '../sandbox/parked-exec-sandbox.ts';
import type { InitializeResult } from './stdio/wire-schema.ts';

/** `cwd`: where the command runs (replay runs it where certify did, whatever the current folder). */
export async function loadExecCandidate(command: string, cwd: string = process.cwd(), env?: Readonly<Record<string, string>>): Promise<LoadedCandidate> {
  const identity = await probeExecCandidate(command, cwd, env);
  return {
    command,
    cwd,
    ...(env ? { commandEnv: env } : {}),
    candidate: {
      kind: 'plugin', name: identity.name, version: identity.version,
      create: () => { throw new Error('an --exec candidate runs out of process'); },
    },
    info: {
      kind: 'plugin', name: identity.name, version: identity.version, source: command, sourceType: 'exec',
      sha256: createHash('sha256').update(command).digest('hex'),
    },
  };
}

/**
 * The command's answer to `initialize`; its sandbox is kept for the certification that follows.
 * `didNotStart` words the one-line error when it does not answer (default: the --exec wording).
 */
export async function probeExecCandidate(
  command: string, cwd: string, env?: Readonly<Record<string, string>>,
  didNotStart: (error: unknown, stderr: string) => string = (error, stderr) => messages.execDidNotStart(command, error, stderr),
): Promise<InitializeResult> {
  let sandbox: ExecSandbox;
  try {
    sandbox = await ExecSandbox.start(command, undefined, cwd, env);
  } catch (error) {
    throw new UsageError(messages.loopbackUnavailable(error), { cause: error });
  }
  try {
    const identity = await sandbox.probe();
    // Kept for the certification: a child that serves many instances goes on serving them.
    parkExecSandbox(sandbox, command, cwd);
    return identity;
  } catch (error) {
    await sandbox.close();
    throw new UsageError(didNotStart(error, sandbox.output()), { cause: error });
  }
}
