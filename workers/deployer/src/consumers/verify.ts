// The verification queue consumer ("tf-verify", issue 19): one step of one
// source verification per message — submit to the explorer, or check what it
// said — for the row (chain, address, service) of contract_verifications.
// Etherscan (API v2, one key, the chain by chainid): the implementation and the
// factory are verified from the standard-JSON input of our reproducible build,
// each clone linked to its implementation (verifyproxycontract). Sourcify: the
// implementation and the factory. Every Etherscan call first asks the
// ExplorerGate for budget (the plan's calls per second and per day). A job not
// finished is put back as a fresh delayed message (polling does not spend the
// queue's retries); a failed call backs off and is retried up to
// VERIFY_MAX_ATTEMPTS; the cron re-drives rows whose messages were lost.
import { log } from "@tokenforge/core";
import type { ContractVerificationRow } from "@tokenforge/core/db/schema";
import { factoryOfLaunch } from "@tokenforge/core/contracts/factory";
import {
  checkProxyRequest, checkVerifyStatusRequest, readCheck, readSubmission, verifyProxyRequest, verifySourceRequest,
  type EtherscanOutcome, type EtherscanRequest,
} from "@tokenforge/core/verify/etherscan";
import { readSourcifyJob, readSourcifySubmission, sourcifyJobRequest, sourcifySubmitRequest } from "@tokenforge/core/verify/sourcify";
import { buildInput, sourceTargets, type VerifyMessage } from "@tokenforge/core/verify/targets";
import type { Env } from "../env";
import { getChain } from "../chain-client";
import { verifyConfig, type VerifyConfig } from "../verify/config";

type Step = { kind: "done" } | { kind: "later"; delaySeconds: number };

export async function handleVerify(batch: MessageBatch<VerifyMessage>, env: Env, now = Date.now()): Promise<void> {
  const cfg = verifyConfig(env);
  const later: { body: VerifyMessage; delaySeconds: number }[] = [];
  for (const m of batch.messages) {
    const step = await verifyStep(env, cfg, m.body, now).catch((e: unknown) => {
      log("warn", "verify.step_failed", { chain: m.body.chain, address: m.body.address, service: m.body.service, error: e });
      return { kind: "later", delaySeconds: cfg.pollSeconds } as Step;
    });
    if (step.kind === "later") later.push({ body: m.body, delaySeconds: Math.ceil(step.delaySeconds) });
  }
  for (let i = 0; i < later.length; i += 100) await env.VERIFY.sendBatch(later.slice(i, i + 100));
  for (const m of batch.messages) m.ack();
}

async function verifyStep(env: Env, cfg: VerifyConfig, msg: VerifyMessage, now: number): Promise<Step> {
  const row = await env.DB.prepare("SELECT * FROM contract_verifications WHERE chain = ? AND address = ? AND service = ?")
    .bind(msg.chain, msg.address, msg.service).first<Record<string, unknown>>();
  if (!row || row.status !== "pending") return { kind: "done" };
  const r = { kind: row.kind as ContractVerificationRow["kind"], guid: row.guid as string | null, attempts: row.attempts as number };
  const chain = getChain(env, msg.chain);
  if (chain.family !== "evm" || chain.chainId === undefined) return finish(env, msg, "unsupported", "not an EVM chain", now);
  const chainId = chain.chainId;
  const covered = msg.service === "etherscan" ? !!cfg.etherscan?.chainIds.has(chainId) : !!cfg.sourcifyUrl;
  if (!covered) return finish(env, msg, "unsupported", `the ${msg.service} plan does not cover chain ${chain.chainId}`, now);

  let request: EtherscanRequest;
  let read: (status: number, body: unknown) => EtherscanOutcome;
  if (msg.service === "sourcify") {
    const target = sourceTargets(chain).find((t) => t.address.toLowerCase() === msg.address.toLowerCase());
    if (!target) return finish(env, msg, "unsupported", "Sourcify verifies our implementation and factory only", now);
    request = r.guid ? sourcifyJobRequest(cfg.sourcifyUrl!, r.guid)
      : sourcifySubmitRequest(cfg.sourcifyUrl!, { chainId, address: target.address, input: buildInput.input, contractIdentifier: target.contractIdentifier, compilerVersion: buildInput.compilerVersion });
    read = r.guid ? readSourcifyJob : readSourcifySubmission;
  } else {
    const base = { apiUrl: cfg.etherscan!.apiUrl, apiKey: env.ETHERSCAN_API_KEY ?? "", chainId };
    if (r.kind === "clone") {
      const impl = await cloneImplementation(env, msg);
      if (!impl) return finish(env, msg, "unsupported", "no launch record for this token", now);
      const implRow = await env.DB.prepare("SELECT status FROM contract_verifications WHERE chain = ? AND address = ? AND service = 'etherscan'").bind(msg.chain, impl).first<{ status: string }>();
      if (!implRow) return finish(env, msg, "unsupported", `its implementation ${impl} is not verified here`, now);
      if (implRow.status === "pending") return { kind: "later", delaySeconds: cfg.pollSeconds }; // linked once the implementation is verified
      if (implRow.status !== "verified") return finish(env, msg, "failed", `its implementation ${impl} is ${implRow.status}`, now);
      request = r.guid ? checkProxyRequest(base, r.guid) : verifyProxyRequest(base, msg.address, impl);
    } else {
      const target = sourceTargets(chain).find((t) => t.address.toLowerCase() === msg.address.toLowerCase());
      if (!target) return finish(env, msg, "unsupported", "not one of this chain's contracts", now);
      request = r.guid ? checkVerifyStatusRequest(base, r.guid)
        : verifySourceRequest(base, { address: target.address, input: buildInput.input, contractName: target.contractIdentifier, compilerVersion: buildInput.compilerVersion, constructorArgs: target.constructorArgs });
    }
    read = r.guid ? readCheck : readSubmission;
    const admitted = await env.EXPLORER_GATE.get(env.EXPLORER_GATE.idFromName("etherscan")).acquire();
    if (!admitted.ok) return { kind: "later", delaySeconds: Math.max(1, admitted.waitMs / 1000) };
  }

  const outcome = await call(request, read);
  log("info", "verify.step", { chain: msg.chain, address: msg.address, service: msg.service, kind: r.kind, outcome: outcome.kind, detail: "detail" in outcome ? outcome.detail.slice(0, 200) : undefined });
  switch (outcome.kind) {
    case "submitted":
      await env.DB.prepare("UPDATE contract_verifications SET guid = ?, attempts = attempts + 1, detail = NULL, updated_at = ? WHERE chain = ? AND address = ? AND service = ?")
        .bind(outcome.guid, now, msg.chain, msg.address, msg.service).run();
      return { kind: "later", delaySeconds: cfg.pollSeconds };
    case "pending":
      await touch(env, msg, outcome.detail, now);
      return { kind: "later", delaySeconds: cfg.pollSeconds };
    case "verified":
      return finish(env, msg, "verified", outcome.detail, now);
    case "failed":
      return finish(env, msg, "failed", outcome.detail, now);
    case "retry": {
      if (r.attempts + 1 >= cfg.maxAttempts) return finish(env, msg, "failed", `gave up after ${r.attempts + 1} calls: ${outcome.detail}`, now);
      await env.DB.prepare("UPDATE contract_verifications SET attempts = attempts + 1, detail = ?, updated_at = ? WHERE chain = ? AND address = ? AND service = ?")
        .bind(outcome.detail, now, msg.chain, msg.address, msg.service).run();
      // Exponential backoff from the poll interval, capped at an hour.
      return { kind: "later", delaySeconds: Math.min(3_600, cfg.pollSeconds * 2 ** r.attempts) };
    }
  }
}

async function call(req: EtherscanRequest, read: (status: number, body: unknown) => EtherscanOutcome): Promise<EtherscanOutcome> {
  try {
    const res = await fetch(req.url, { ...req.init, signal: AbortSignal.timeout(20_000) });
    const body: unknown = await res.json().catch(() => null);
    return read(res.status, body);
  } catch (e) {
    return { kind: "retry", detail: `the explorer did not answer: ${(e as Error).message}` };
  }
}

/** The implementation a token clone delegates to: its launch's factory version decides. */
async function cloneImplementation(env: Env, msg: VerifyMessage): Promise<string | null> {
  const l = await env.DB.prepare("SELECT l.factory_version AS v FROM tokens t JOIN launches l ON l.id = t.launch_id WHERE t.chain = ? AND t.address = ?")
    .bind(msg.chain, msg.address).first<{ v: string | null }>();
  if (!l) return null;
  return factoryOfLaunch(getChain(env, msg.chain), l.v).implementation;
}

async function touch(env: Env, msg: VerifyMessage, detail: string, now: number) {
  await env.DB.prepare("UPDATE contract_verifications SET detail = ?, updated_at = ? WHERE chain = ? AND address = ? AND service = ?")
    .bind(detail, now, msg.chain, msg.address, msg.service).run();
}

async function finish(env: Env, msg: VerifyMessage, status: "verified" | "failed" | "unsupported", detail: string, now: number): Promise<Step> {
  await env.DB.prepare("UPDATE contract_verifications SET status = ?, detail = ?, updated_at = ? WHERE chain = ? AND address = ? AND service = ? AND status = 'pending'")
    .bind(status, detail.slice(0, 500), now, msg.chain, msg.address, msg.service).run();
  log(status === "failed" ? "warn" : "info", "verify.final", { chain: msg.chain, address: msg.address, service: msg.service, outcome: status });
  return { kind: "done" };
}
