// The one error type for user mistakes and refusals: a one-line message and a hint saying what to do.
// Every entry point prints `dp: <message>` and the hint and exits non-zero; no stack trace.

export class DpError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    /** 1 = failure or refusal, 2 = bad usage. */
    readonly exitCode: number = 1,
  ) {
    super(message);
    this.name = 'DpError';
  }
}

/** The text a user sees for an error: `dp: message` and, indented below, the hint. */
export function formatError(error: unknown): string {
  if (error instanceof DpError) return `dp: ${error.message}${error.hint ? `\n  ${error.hint}` : ''}`;
  const message = error instanceof Error ? error.message : String(error);
  return `dp: unexpected error: ${message}`;
}
