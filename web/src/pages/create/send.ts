// Sending the launch request and mapping the API's answer back onto the form.
import { ApiError, createLaunch, type Accepted, type PaymentRequest } from "../../api";
import type { LaunchBody } from "../../lib/validate";
import { STEP_OF } from "./wizard";

/**
 * POSTs the launch; a 409 saying the first request with this key is still being
 * processed makes it ask again (up to 5 times). Any other 409 (a refused quote) is the caller's.
 */
export async function sendLaunch(body: LaunchBody, idempotencyKey: string, apiKey?: string, payment?: PaymentRequest): Promise<Accepted> {
  for (let tries = 0; ; tries++) {
    try {
      return await createLaunch(body, idempotencyKey, apiKey, payment);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && isInFlight(err) && tries < 5) {
        await new Promise((r) => setTimeout(r, (err.retryAfter ?? 1) * 1000));
        continue;
      }
      throw err;
    }
  }
}

/** The idempotency 409 (an API from before problem types were read counts as one). */
const isInFlight = (err: ApiError) => err.type === "idempotency-key-in-flight" || err.type === "";

/** A 409 that refuses the quote (expired, used, or the fee changed on chain): the answer is a new quote. */
export const isQuoteRefused = (err: ApiError) => err.status === 409 && !isInFlight(err);

/** The problem's errors by form field (several on one field joined); a refused API key lands on the key field. */
export function errorsByField(err: ApiError, signedIn: boolean): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const { path, message } of err.errors) {
    const field = path.split(".")[0]!;
    if (field in STEP_OF) byField[field] = byField[field] ? `${byField[field]}; ${message}` : message;
  }
  if ((err.status === 401 || err.status === 403) && !signedIn) byField.apiKey = err.detail ?? err.title;
  return byField;
}
