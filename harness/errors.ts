/**
 * A set-up error: the user asked for something wmpcert cannot do as given (a bad path, a module
 * that is not a candidate, an unknown option). The CLI prints its message — one line from
 * harness/messages.ts — and exits 2, never with a stack: the user's next step is in the message.
 */
export class UsageError extends Error {
  readonly exitCode = 2;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}
