// The launch stream (SSE) as a standard EventSource client meets it (issue 13,
// item 2): event ids, 204 to a reconnect that already has the final view, and a
// first request for a final launch that gets its events and then a closed
// stream. The `eventsource` npm client itself runs in test/e2e/third-party-clients.test.ts.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { call, createLaunch, json, signInEvm } from "./helpers";

const DB = (env as unknown as { DB: D1Database }).DB;
let cookie: string;

beforeAll(async () => {
  cookie = (await signInEvm()).cookie;
});

/** Moves a launch on as the deployer would: status and its events in one batch. */
async function advance(id: string, ...statuses: string[]) {
  const now = Date.now();
  await DB.batch([
    ...statuses.map((s, i) => DB.prepare("INSERT INTO launch_events (launch_id, status, detail, at) VALUES (?, ?, ?, ?)").bind(id, s, "test", now + i)),
    DB.prepare("UPDATE launches SET status = ?, updated_at = ? WHERE id = ?").bind(statuses.at(-1), now, id),
  ]);
}

const stream = (id: string, lastEventId?: string) =>
  call("GET", `/api/v1/launches/${id}/stream`, {}, undefined, lastEventId === undefined ? {} : { "last-event-id": lastEventId });

/** The SSE messages of a body that ends (a final launch's stream closes by itself). */
function messages(text: string) {
  return text
    .split("\n\n")
    .filter((block) => block.trim() && !block.startsWith(":"))
    .map((block) => Object.fromEntries(block.split("\n").map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trimStart()])));
}

describe("GET /launches/:id/stream", () => {
  it("answers a first request for a final launch with 200, the final view with its id, `end`, then closes", async () => {
    const { id } = await createLaunch({ cookie });
    await advance(id, "submitted", "confirmed");
    const res = await stream(id);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const msgs = messages(await res.text()); // resolves only because the stream closes
    const launch = msgs.filter((m) => m.event === "launch");
    expect(launch).toHaveLength(1);
    expect(launch[0]!.id).toBe("3"); // queued, submitted, confirmed
    expect(JSON.parse(launch[0]!.data!).status).toBe("confirmed");
    expect(msgs.at(-1)).toMatchObject({ event: "end", data: "final" });
  });

  it("answers 204 to a reconnect whose Last-Event-ID is the final view's id or later", async () => {
    const { id } = await createLaunch({ cookie });
    await advance(id, "failed");
    for (const last of ["2", " 2", "7"]) {
      const res = await stream(id, last);
      expect(res.status, `Last-Event-ID ${last}`).toBe(204);
      expect(await res.text()).toBe("");
    }
  });

  it("streams the final view again to a client that last saw an earlier one, and a junk Last-Event-ID counts as none", async () => {
    const { id } = await createLaunch({ cookie });
    await advance(id, "submitted", "confirmed");
    for (const last of ["1", "2", "abc", "-5"]) {
      const res = await stream(id, last);
      expect(res.status, `Last-Event-ID ${last}`).toBe(200);
      const msgs = messages(await res.text());
      expect(msgs.find((m) => m.event === "launch")?.id).toBe("3");
    }
  });

  it("streams a launch that is not final whatever the Last-Event-ID, and again after an operator replay of a failed one", async () => {
    const { id } = await createLaunch({ cookie });
    await advance(id, "failed");
    expect((await stream(id, "2")).status).toBe(204);
    await advance(id, "queued"); // replayed: 3 events, not final
    const res = await stream(id, "2");
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = "";
    while (!text.includes("event: launch")) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(text).toContain("id: 3\n");
  });

  it("documents the event names, the ids and the 204 in the OpenAPI document", async () => {
    const doc = await json(await call("GET", "/api/v1/openapi.json"));
    const op = doc.paths["/api/v1/launches/{id}/stream"].get;
    expect(op.description).toMatch(/Event `launch`/);
    expect(op.description).toMatch(/Event `end`/);
    expect(op.description).toMatch(/Last-Event-ID/);
    expect(op.responses["204"]).toBeDefined();
    expect(op.parameters.map((p: { name: string }) => p.name)).toContain("last-event-id");
  });
});
