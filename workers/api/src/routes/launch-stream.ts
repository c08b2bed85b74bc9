// GET /api/v1/launches/:id/stream — the launch view as server-sent events, for the
// web app's live status page. D1 is the truth and has no change feed, so the Worker
// polls the row about once a second and sends the view only when it changed. A
// stream ends when the launch is final or after ~60 s (an invocation should not
// hold a connection forever); EventSource reconnects by itself. Open, like
// GET /launches/:id.
import { Hono } from "hono";
import { isFinal } from "@tokenforge/core";
import type { AppEnv, Env } from "../env";
import { problemResponse } from "../http";
import { getLaunchWithEvents, launchView } from "../launch-store";

const POLL_MS = 1_000;
const MAX_STREAM_MS = 60_000;
/** A comment line now and then keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;
/** How soon EventSource reconnects after a stream ends (ms). */
const RETRY_MS = 1_000;

type Found = NonNullable<Awaited<ReturnType<typeof getLaunchWithEvents>>>;

export const launchStreamRoute = new Hono<AppEnv>();

launchStreamRoute.get("/:id/stream", async (c) => {
  const id = c.req.param("id");
  if (!/^lch_[0-9a-z]{26}$/.test(id)) return problemResponse("not-found", "no launch with this id");
  const first = await getLaunchWithEvents(c.env, id);
  if (!first) return problemResponse("not-found", "no launch with this id");

  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // Not awaited: start() must return for the response to begin flowing.
      void pump(c.env, id, first, controller, () => cancelled);
    },
    cancel() {
      cancelled = true;
    },
  });
  return new Response(body, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", "x-accel-buffering": "no" },
  });
});

async function pump(env: Env, id: string, first: Found, controller: ReadableStreamDefaultController<Uint8Array>, cancelled: () => boolean) {
  const encoder = new TextEncoder();
  const send = (text: string) => {
    if (!cancelled()) controller.enqueue(encoder.encode(text));
  };
  const started = Date.now();
  let found: Found | null = first;
  let last = "";
  let lastSent = Date.now();
  try {
    send(`retry: ${RETRY_MS}\n\n`);
    for (;;) {
      if (found) {
        const view = launchView(env, found.row, found.events);
        const json = JSON.stringify(view);
        if (json !== last) {
          last = json;
          send(`event: launch\nid: ${view.events.length}\ndata: ${json}\n\n`);
          lastSent = Date.now();
        }
        if (isFinal(view.status)) {
          send("event: end\ndata: final\n\n");
          break;
        }
      }
      if (cancelled() || Date.now() - started >= MAX_STREAM_MS) break;
      await new Promise((r) => setTimeout(r, POLL_MS));
      if (cancelled()) break;
      if (Date.now() - lastSent >= HEARTBEAT_MS) {
        send(": heartbeat\n\n");
        lastSent = Date.now();
      }
      found = await getLaunchWithEvents(env, id);
    }
  } catch {
    // A D1 hiccup ends the stream; the client reconnects or falls back to polling.
  }
  if (!cancelled()) controller.close();
}
