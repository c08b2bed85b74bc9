// GET /api/v1/launches/:id/stream — the launch view as server-sent events, for the
// web app's live status page and bots. D1 is the truth and has no change feed, so
// the Worker polls the row about once a second and sends the view only when it
// changed. A stream ends when the launch is final or after ~60 s (an invocation
// should not hold a connection forever); EventSource reconnects by itself.
// Open, like GET /launches/:id.
//
// Events: `launch` (data: the Launch view as JSON; id: how many status events
// the view holds, which only grows), then `end` (data: "final") once the launch
// is final. A standard EventSource reconnects after any close, sending the last
// id it saw as Last-Event-ID; a reconnect at or past the final view's id gets
// 204, which per the HTML spec makes the client stop for good. Without that a
// finished launch would be streamed again every second, forever.
import { Hono } from "hono";
import { isFinal, type LaunchStatus } from "@tokenforge/core";
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

/** The id of the `launch` event for a view: its count of status events (append-only, so it only grows). */
export const streamEventId = (view: { events: readonly unknown[] }) => String(view.events.length);

/** 204 when the client already holds the final view: it reconnected after the last event (Last-Event-ID). */
export function alreadyFinal(view: { status: LaunchStatus; events: readonly unknown[] }, lastEventId: string | undefined): boolean {
  if (!isFinal(view.status) || lastEventId === undefined || !/^[0-9]{1,9}$/.test(lastEventId.trim())) return false;
  return Number(lastEventId.trim()) >= view.events.length;
}

launchStreamRoute.get("/:id/stream", async (c) => {
  const id = c.req.param("id");
  if (!/^lch_[0-9a-z]{26}$/.test(id)) return problemResponse("not-found", "no launch with this id");
  const first = await getLaunchWithEvents(c.env, id);
  if (!first) return problemResponse("not-found", "no launch with this id");
  if (alreadyFinal({ status: first.row.status, events: first.events }, c.req.header("last-event-id"))) {
    return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
  }

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
          send(`event: launch\nid: ${streamEventId(view)}\ndata: ${json}\n\n`);
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
