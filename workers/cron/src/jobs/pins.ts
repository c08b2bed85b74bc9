// Pinning (issue 18): used logos and metadata documents go to IPFS through the
// pinning service's uploads API (Pinata: POST {uploads}/v3/files, multipart `file`
// + `network=public`), exact bytes, so the CID the service answers must equal ours
// (core assets/cid.ts: CIDv1, raw leaves, sha2-256, one ≤ 1 MiB block). Taken-down
// assets are unpinned (DELETE {api}/v3/files/public/{id}). Launches never wait
// for any of it: this runs from the cron, and a failure is retried next round.
//
// The plan's request quota is a token bucket like an RPC provider's (the gate's
// pure bucket), kept in KV between runs; a 429 empties it.
import { and, asc, eq, isNotNull, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { log } from "@tokenforge/core";
import { newBucket, resize, take, type Bucket } from "@tokenforge/gate/bucket";
import { assets, tokenMetadata } from "@tokenforge/core/db/schema";
import { cronConfig } from "../config";
import type { Env } from "../env";

const BUCKET_KEY = "pinning:bucket";
/** Rows looked at per kind per run. */
const BATCH = 25;

type Outcome = { pinned: number; unpinned: number; mismatched: number; failed: number; throttled: boolean; skipped?: string };
type Work = { kind: "asset" | "document" | "unpin"; key: string; run: () => Promise<void> };

export async function pinPending(env: Env, now = Date.now()): Promise<Outcome> {
  const out: Outcome = { pinned: 0, unpinned: 0, mismatched: 0, failed: 0, throttled: false };
  const jwt = env.PINATA_JWT;
  if (!jwt) return { ...out, skipped: "PINATA_JWT is not set" };
  const { uploadsUrl, apiUrl, quota } = cronConfig(env).pinning;
  const db = drizzle(env.DB);
  const [toUnpin, toPin, docs] = await Promise.all([
    db.select().from(assets).where(and(isNotNull(assets.blockedAt), isNotNull(assets.pinId))).limit(BATCH),
    db.select().from(assets).where(and(isNotNull(assets.pinRequestedAt), isNull(assets.pinnedAt), isNull(assets.blockedAt))).orderBy(asc(assets.pinRequestedAt)).limit(BATCH),
    db.select().from(tokenMetadata).where(isNull(tokenMetadata.pinnedAt)).orderBy(asc(tokenMetadata.updatedAt)).limit(BATCH),
  ]);
  const auth = { authorization: `Bearer ${jwt}` };
  const work: Work[] = [
    ...toUnpin.map((a): Work => ({ kind: "unpin", key: a.sha256, run: async () => {
      const res = await fetch(`${apiUrl}/v3/files/public/${encodeURIComponent(a.pinId!)}`, { method: "DELETE", headers: auth });
      if (!res.ok && res.status !== 404) throw new HttpError(res.status, await res.text());
      await db.update(assets).set({ pinId: null, pinnedCid: null, pinnedAt: null }).where(eq(assets.sha256, a.sha256));
      out.unpinned += 1;
    } })),
    ...toPin.map((a): Work => ({ kind: "asset", key: a.sha256, run: async () => {
      const object = await env.ASSET_BUCKET.get(a.sha256);
      if (!object) throw new Error("the stored bytes are missing from R2");
      const bytes = new Uint8Array(await object.arrayBuffer());
      const pinned = await upload(uploadsUrl, auth, bytes, `${a.sha256}.${a.mime.split("/")[1]}`, a.mime);
      const mismatch = pinned.cid !== a.cid ? `the service's CID ${pinned.cid} is not ours ${a.cid}` : null;
      await db.update(assets).set({ pinId: pinned.id, pinnedCid: pinned.cid, pinnedAt: Date.now(), pinError: mismatch }).where(eq(assets.sha256, a.sha256));
      record(mismatch, a.sha256);
    } })),
    ...docs.map((d): Work => ({ kind: "document", key: `${d.chain}:${d.address}`, run: async () => {
      const pinned = await upload(uploadsUrl, auth, new TextEncoder().encode(d.document), `${d.chain}-${d.address}.json`, "application/json");
      const mismatch = pinned.cid !== d.documentCid ? `the service's CID ${pinned.cid} is not ours ${d.documentCid}` : null;
      // Only if the document is still the one uploaded: an owner's edit in between leaves it pending for the next run.
      await db.update(tokenMetadata).set({ pinId: pinned.id, pinnedCid: pinned.cid, pinnedAt: Date.now(), pinError: mismatch })
        .where(and(eq(tokenMetadata.chain, d.chain), eq(tokenMetadata.address, d.address), eq(tokenMetadata.documentCid, d.documentCid)));
      record(mismatch, `${d.chain}:${d.address}`);
    } })),
  ];
  function record(mismatch: string | null, key: string) {
    if (mismatch) {
      out.mismatched += 1;
      log("error", "pin.cid_mismatch", { key, detail: mismatch });
    } else out.pinned += 1;
  }

  const stored = await env.CACHE.get<Bucket>(BUCKET_KEY, "json");
  let bucket = stored ? resize(stored, quota, now) : newBucket(quota, now);
  for (const w of work) {
    const t = take(bucket, 1, Date.now());
    bucket = t.bucket;
    if (!t.ok) {
      out.throttled = true;
      break;
    }
    try {
      await w.run();
    } catch (e) {
      if (e instanceof HttpError && e.status === 429) {
        // The service says the budget is spent: nothing more this run, and the bucket refills from empty.
        bucket = { ...bucket, tokens: 0, updatedAt: Date.now() };
        out.throttled = true;
        log("warn", "pin.throttled", { kind: w.kind, key: w.key, outcome: "retry-next-run" });
        break;
      }
      out.failed += 1;
      log("warn", "pin.failed", { kind: w.kind, key: w.key, error: e, outcome: "retry-next-run" });
    }
  }
  await env.CACHE.put(BUCKET_KEY, JSON.stringify(bucket));
  return out;
}

class HttpError extends Error {
  constructor(readonly status: number, body: string) {
    super(`HTTP ${status}: ${body.slice(0, 200)}`);
  }
}

/** One file through the uploads API; its answer is `{ data: { id, cid, … } }`. */
async function upload(base: string, auth: Record<string, string>, bytes: Uint8Array, name: string, type: string): Promise<{ id: string; cid: string }> {
  const form = new FormData();
  form.append("file", new File([bytes as Uint8Array<ArrayBuffer>], name, { type }));
  form.append("network", "public");
  form.append("name", name);
  const res = await fetch(`${base}/v3/files`, { method: "POST", headers: auth, body: form, signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new HttpError(res.status, await res.text());
  const body = (await res.json()) as { data?: { id?: unknown; cid?: unknown } };
  if (typeof body.data?.id !== "string" || typeof body.data.cid !== "string") throw new Error("the uploads API answered without data.id and data.cid");
  return { id: body.data.id, cid: body.data.cid };
}
