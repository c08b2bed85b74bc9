// A local stand-in for the pinning service (Pinata's v3 API) that `startPlatform`
// starts beside the chains: the cron's pinning job talks to it exactly as to the
// real one. It answers the documented shapes —
//   POST /v3/files (multipart: file, network, name) → { data: { id, name, cid, size, number_of_files, mime_type, network, … } }
//   DELETE /v3/files/{network}/{id}               → { data: null }
// checks the Bearer JWT, and computes each file's CID the way the platform's profile
// says (CIDv1, raw leaves, sha2-256, chunks ≥ 1 MiB: one raw block per file ≤ 1 MiB),
// with multiformats, independently of packages/core. `setMode("429")` answers every
// request 429 (a spent plan) until set back to "ok". Tests read what it received.
import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import * as Digest from "multiformats/hashes/digest";

const CHUNK_BYTES = 1 << 20;

export type PinnedFile = { id: string; cid: string; name: string; size: number; mimeType: string; network: string; bytes: Buffer; createdAt: string; deletedAt: string | null };
export type PinningStandIn = {
  url: string;
  jwt: string;
  files: PinnedFile[];
  /** Requests answered, including refused ones. */
  requests: { method: string; path: string; status: number }[];
  setMode: (mode: "ok" | "429") => void;
  close: () => Promise<void>;
};

export function standInCid(bytes: Uint8Array): string {
  if (bytes.length > CHUNK_BYTES) throw new RangeError("the stand-in's profile makes one block of at most 1 MiB");
  return CID.createV1(raw.code, Digest.create(0x12, createHash("sha256").update(bytes).digest())).toString();
}

export async function startPinningStandIn(opts: { port?: number; jwt?: string } = {}): Promise<PinningStandIn> {
  const jwt = opts.jwt ?? `stand-in-${randomUUID()}`;
  const files: PinnedFile[] = [];
  const requests: PinningStandIn["requests"] = [];
  let mode: "ok" | "429" = "ok";

  const send = (req: IncomingMessage, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    requests.push({ method: req.method ?? "", path: req.url ?? "", status });
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };

  const server = createServer(async (req, res) => {
    try {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      if (req.headers.authorization !== `Bearer ${jwt}`) return send(req, res, 401, { error: { reason: "INVALID_CREDENTIALS", details: "Invalid authentication credentials" } });
      if (mode === "429") return send(req, res, 429, { error: { reason: "RATE_LIMITED", details: "Too many requests" } }, { "retry-after": "60" });
      if (req.method === "POST" && path === "/v3/files") {
        const chunks: Buffer[] = [];
        for await (const ch of req) chunks.push(ch as Buffer);
        const form = await new Request("http://x/", { method: "POST", headers: { "content-type": req.headers["content-type"] ?? "" }, body: Buffer.concat(chunks) }).formData();
        const file = form.get("file");
        if (!(file instanceof Blob)) return send(req, res, 400, { error: { reason: "INVALID_REQUEST", details: "file is required" } });
        const bytes = Buffer.from(await file.arrayBuffer());
        const network = String(form.get("network") ?? "private");
        const name = String(form.get("name") ?? (file as File).name ?? "file");
        const f: PinnedFile = { id: randomUUID(), cid: standInCid(bytes), name, size: bytes.length, mimeType: file.type || "application/octet-stream", network, bytes, createdAt: new Date().toISOString(), deletedAt: null };
        files.push(f);
        return send(req, res, 200, { data: { id: f.id, name: f.name, cid: f.cid, size: f.size, number_of_files: 1, mime_type: f.mimeType, group_id: null, keyvalues: {}, created_at: f.createdAt, network: f.network, vectorized: false, user_id: "stand-in" } });
      }
      const del = /^\/v3\/files\/(public|private)\/([^/]+)$/.exec(path);
      if (req.method === "DELETE" && del) {
        const f = files.find((x) => x.id === decodeURIComponent(del[2]!) && x.network === del[1] && !x.deletedAt);
        if (!f) return send(req, res, 404, { error: { reason: "NOT_FOUND", details: "file not found" } });
        f.deletedAt = new Date().toISOString();
        return send(req, res, 200, { data: null });
      }
      return send(req, res, 404, { error: { reason: "NOT_FOUND", details: `no route ${req.method} ${path}` } });
    } catch (e) {
      return send(req, res, 500, { error: { reason: "INTERNAL", details: String(e) } });
    }
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    jwt,
    files,
    requests,
    setMode: (m) => void (mode = m),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
