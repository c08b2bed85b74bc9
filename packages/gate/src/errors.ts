// Errors of the gate's clients.

/** No endpoint could take the request in time: transient (retry the message later), never a verdict on the launch. */
export class GateUnavailableError extends Error {
  override name = "GateUnavailableError";
  readonly transient = true;
  constructor(message: string, readonly retryAfterMs?: number) {
    super(message);
  }
}
