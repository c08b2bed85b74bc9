// POST /api/v1/launches and GET /api/v1/launches/:id — the core of the launch contract.
import { Hono } from "hono";
import type { Address } from "viem";
import { chainRegistry, checkLaunchForChain, findChain, LaunchRequest, log, newId, type Issue } from "@tokenforge/core";
import { evmLaunchAddress } from "@tokenforge/core/launch-evm";
import { FACTORY_VERSION } from "@tokenforge/core/contracts/artifacts";
import type { AppEnv, Env } from "../env";
import { requireScope } from "../auth";
import { canonicalJson, ProblemError, problemResponse, readJson, sha256Hex } from "../http";
import { findKey, getLaunchWithEvents, insertLaunch, launchView, markKeyDone } from "../launch-store";

// A request whose key row is older than this finished or crashed after its launch
// row was written (the sweep re-enqueues such launches), so it is no longer "in flight".
const KEY_PROCESSING_GRACE_MS = 30_000;
const IDEMPOTENCY_KEY_RE = /^[\x21-\x7e]{1,255}$/;

export const launchesRoute = new Hono<AppEnv>();

launchesRoute.post("/", requireScope("launches:write"), async (c) => {
  const caller = c.get("caller")!;
  const key = c.req.header("idempotency-key") ?? null;
  if (key !== null && !IDEMPOTENCY_KEY_RE.test(unquote(key))) {
    return problemResponse("invalid-idempotency-key", "1 to 255 printable ASCII characters");
  }
  const idemKey = key === null ? null : unquote(key);
  const request = parseLaunchRequest(c.env, await readJson(c));
  const requestHash = await sha256Hex(canonicalJson(request));

  const id = newId("lch");
  const chain = findChain(chainRegistry(c.env), request.chain)!;
  const deployer = deployerFor(c.env, chain.family);
  const address = chain.family === "evm" ? evmLaunchAddress(id, deployer as Address, request) : "";

  const inserted = await insertLaunch(c.env, {
    id, creatorId: caller.userId, request, requestHash, deployer, address,
    factoryVersion: chain.family === "evm" ? FACTORY_VERSION : null, idempotencyKey: idemKey,
  });
  if (!inserted) return replayIdempotent(c.env, caller.userId, idemKey!, requestHash);

  try {
    await c.env.LAUNCHES.send({ launchId: id, reason: "created" });
  } catch (e) {
    // The row is the truth: the cron sweep re-enqueues queued launches, so the
    // launch is not lost; answer 202 all the same.
    log("error", "launch.enqueue_failed", { launchId: id, chain: chain.id, error: e });
  }
  if (idemKey) await markKeyDone(c.env, caller.userId, idemKey);
  log("info", "launch.accepted", { launchId: id, chain: chain.id, outcome: "queued" });
  return c.json(acceptedBody(id, chain.id, address), 202, { location: `/api/v1/launches/${id}` });
});

launchesRoute.get("/:id", async (c) => {
  const id = c.req.param("id");
  if (!/^lch_[0-9a-z]{26}$/.test(id)) return problemResponse("not-found", "no launch with this id");
  const found = await getLaunchWithEvents(c.env, id);
  if (!found) return problemResponse("not-found", "no launch with this id");
  return c.json(launchView(c.env, found.row, found.events));
});

function acceptedBody(id: string, chain: string, address: string) {
  return { id, status: "queued" as const, chain, address, links: { self: `/api/v1/launches/${id}` } };
}

/** Schema rules, then the chain's rules; every failure is a 422 listing each field. */
export function parseLaunchRequest(env: Env, body: unknown): LaunchRequest {
  const parsed = LaunchRequest.safeParse(body);
  if (!parsed.success) {
    const errors: Issue[] = parsed.error.issues.map((i) => ({
      path: i.path.join(".") || (i.code === "unrecognized_keys" ? (i as { keys?: string[] }).keys?.join(",") ?? "" : ""),
      message: i.message,
    }));
    throw new ProblemError("validation-error", errors.map((e) => `${e.path || "body"}: ${e.message}`).join("; "), { errors });
  }
  const chain = findChain(chainRegistry(env), parsed.data.chain);
  if (!chain) {
    throw new ProblemError("unknown-chain", `unknown chain "${parsed.data.chain}"; see GET /api/v1/chains`, {
      errors: [{ path: "chain", message: "is not a supported chain" }],
    });
  }
  const issues = checkLaunchForChain(parsed.data, chain);
  if (issues.length) {
    throw new ProblemError("validation-error", issues.map((e) => `${e.path}: ${e.message}`).join("; "), { errors: issues });
  }
  return parsed.data;
}

function deployerFor(env: Env, family: "evm" | "solana"): string {
  if (family === "evm") return env.EVM_DEPLOYER_ADDRESS;
  return String(env.SOLANA_FEE_PAYER ?? "");
}

async function replayIdempotent(env: Env, callerId: string, key: string, requestHash: string) {
  const existing = await findKey(env, callerId, key);
  if (!existing) return problemResponse("idempotency-key-in-flight", "retry in a moment");
  if (existing.requestHash !== requestHash) {
    return problemResponse("idempotency-key-reused", "this Idempotency-Key was first used with a different body");
  }
  if (existing.state === "processing" && Date.now() - existing.createdAt < KEY_PROCESSING_GRACE_MS) {
    return problemResponse("idempotency-key-in-flight", "the first request with this key is still being processed", {}, { "retry-after": "1" });
  }
  const found = await getLaunchWithEvents(env, existing.launchId);
  const row = found!.row;
  return Response.json(acceptedBody(row.id, row.chain, row.address), {
    status: 202,
    headers: { location: `/api/v1/launches/${row.id}`, "idempotent-replayed": "true" },
  });
}

// The draft allows the key as a structured-field string ("abc"); accept both forms.
function unquote(v: string) {
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}
