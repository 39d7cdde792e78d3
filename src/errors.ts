/**
 * A problem the user can fix (bad arguments, configuration, an unreachable store): the CLI prints its
 * message and hint and exits 2, without a stack trace. Messages never contain secrets.
 */
export class FlagopsError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}
