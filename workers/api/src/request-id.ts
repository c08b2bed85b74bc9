// Every request gets an id: the trace-id of its `traceparent` (W3C Trace
// Context) when a caller sends one, else a fresh one. It is answered in
// `x-request-id`, stored on the launches the request creates, and in scope for
// every log line and outgoing call made while serving it (core's trace.ts).
import type { MiddlewareHandler } from "hono";
import { newRequestId, traceIdOf, withTrace } from "@tokenforge/core";

export const requestId: MiddlewareHandler = async (c, next) => {
  const id = traceIdOf(c.req.header("traceparent")) ?? newRequestId();
  await withTrace({ requestId: id }, () => next());
  c.res.headers.set("x-request-id", id);
};
