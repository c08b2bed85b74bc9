// Sending the launch request and mapping the API's answer back onto the form.
import { ApiError, createLaunch, type Accepted } from "../../api";
import type { LaunchBody } from "../../lib/validate";
import { STEP_OF } from "./wizard";

/** POSTs the launch; a 409 means the first request with this key is still being processed, so it asks again (up to 5 times). */
export async function sendLaunch(body: LaunchBody, idempotencyKey: string, apiKey?: string): Promise<Accepted> {
  for (let tries = 0; ; tries++) {
    try {
      return await createLaunch(body, idempotencyKey, apiKey);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && tries < 5) {
        await new Promise((r) => setTimeout(r, (err.retryAfter ?? 1) * 1000));
        continue;
      }
      throw err;
    }
  }
}

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
