// One id across hops (core's trace.ts): the W3C traceparent parsing, the scope a
// log line reads its request id from, and the traceparent of an outgoing call.
import { afterEach, expect, it, vi, onTestFinished } from "vitest";
import { log } from "../../packages/core/src/log";
import { newRequestId, noteLaunches, outgoingTraceparent, requestIdFor, traceIdOf, withTrace } from "../../packages/core/src/trace";

afterEach(() => vi.restoreAllMocks());

it("takes the trace-id of a valid version-00 traceparent and refuses malformed or all-zero ones", () => {
  expect(traceIdOf("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
  expect(traceIdOf("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).toBeNull();
  expect(traceIdOf("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")).toBeNull();
  expect(traceIdOf("00-4bf92f35-00f067aa0ba902b7-01")).toBeNull();
  expect(traceIdOf(null)).toBeNull();
  expect(newRequestId()).toMatch(/^[0-9a-f]{32}$/);
});

it("gives each launch's log lines the id of the request that created it, across awaits", async () => {
  const lines: string[] = [];
  const spy = vi.spyOn(console, "log").mockImplementation((l: string) => void lines.push(l));
  onTestFinished(() => spy.mockRestore()); // files share the worker: give console.log back
  await withTrace({}, async () => {
    noteLaunches([{ id: "lch_a", requestId: "a".repeat(32) }, { id: "lch_b", requestId: "b".repeat(32) }]);
    await new Promise((r) => setTimeout(r, 1));
    log("info", "x", { launchId: "lch_a" });
    log("info", "x", { launchId: "lch_b" });
    log("info", "x", { launchId: "lch_other" });
  });
  log("info", "x", { launchId: "lch_a" }); // outside any scope
  expect(lines.map((l) => JSON.parse(l).requestId)).toEqual(["a".repeat(32), "b".repeat(32), undefined, undefined]);
});

it("sends the request's trace-id in outgoing traceparents, a fresh one when a batch has several launches", () => {
  withTrace({ requestId: "c".repeat(32) }, () => expect(outgoingTraceparent()).toMatch(new RegExp(`^00-${"c".repeat(32)}-[0-9a-f]{16}-01$`)));
  withTrace({}, () => {
    noteLaunches([{ id: "lch_a", requestId: "a".repeat(32) }]);
    expect(outgoingTraceparent()).toContain("a".repeat(32));
    expect(requestIdFor("lch_a")).toBe("a".repeat(32));
    noteLaunches([{ id: "lch_b", requestId: "b".repeat(32) }]);
    const tp = outgoingTraceparent();
    expect(tp).not.toContain("a".repeat(32));
    expect(tp).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });
});
