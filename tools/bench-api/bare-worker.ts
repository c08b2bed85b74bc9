// The baseline of `npm run bench:api`: a bare Hono Worker on the same runtime
// (wrangler dev / workerd) answering the same three routes with fixed bodies of
// the same shape — no auth, no limits, no storage. The ratio of our API's rate to
// this one's is our overhead per request.
import { Hono } from "hono";

const tokens = Array.from({ length: 20 }, (_, i) => ({
  id: `lch_${i}`, chain: "local-eth", address: `0x${i.toString(16).padStart(40, "0")}`, name: `Token ${i}`, symbol: `T${i}`,
  decimals: 18, initialSupply: "1000000", status: "confirmed", createdAt: new Date(0).toISOString(),
}));
const chains = Array.from({ length: 3 }, (_, i) => ({ id: `chain-${i}`, family: "evm", name: `Chain ${i}`, confirmations: 1, paused: false }));

const app = new Hono();
app.get("/api/v1/tokens", (c) => c.json({ tokens, nextCursor: null }));
app.get("/api/v1/chains", (c) => c.json({ chains }));
app.post("/api/v1/launches", async (c) => {
  const body = await c.req.json<{ name?: string }>();
  return c.json({ id: `lch_${crypto.randomUUID()}`, status: "queued", name: body.name ?? null }, 202);
});

export default app;
