// Shared by the consumer and Signer-alarm tests: launch rows in the real D1, a
// deployer account of their own on the test anvil, and queue producers that
// record what a handler sent (and pass it on to the real queue).
import { env, runInDurableObject } from "cloudflare:test";
import { inject } from "vitest";
import type { Address, Hex } from "viem";
import { generatePrivateKey } from "viem/accounts";
import { newId, type LaunchRequest } from "@tokenforge/core";
import { evmLaunchAddress } from "@tokenforge/core/launch-evm";
import { DETERMINISTIC_DEPLOYER, factoryAddress, factoryDeployData } from "@tokenforge/core/contracts/factory";
import { privateKeySigner, type TransactionSigner } from "@tokenforge/core/crypto/signer";
import type { LaunchRow } from "@tokenforge/core/db/schema";
import type { Signer } from "../src/signer.do";
import type { Env } from "../src/env";

export const anvilUrl = inject("anvilUrl");
export const OWNER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

export async function rpc<T>(method: string, params: unknown[]): Promise<T> {
  const res = await fetch(anvilUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await res.json()) as { result: T; error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
  return body.result;
}

/**
 * The receipt of a transaction once it is in a block. anvil's automine answers
 * eth_sendRawTransaction before its block is made: on a busy machine a read
 * right after can still see the transaction pending.
 */
export async function mined(hash: string, timeoutMs = 10_000): Promise<{ blockNumber: Hex; status: Hex }> {
  for (const deadline = Date.now() + timeoutMs; ; ) {
    const receipt = await rpc<{ blockNumber: Hex; status: Hex } | null>("eth_getTransactionReceipt", [hash]);
    if (receipt) return receipt;
    if (Date.now() > deadline) throw new Error(`transaction ${hash} was not mined within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The ForgeFactory at its CREATE2 address. Sent from anvil's last dev account, so
 * it never takes a nonce from an account a Signer uses.
 */
export async function ensureFactory() {
  if ((await rpc<Hex>("eth_getCode", [factoryAddress, "latest"])) !== "0x") return;
  const accounts = await rpc<string[]>("eth_accounts", []);
  // A second file racing this one sends the same CREATE2 deploy: it reverts, harmlessly.
  await rpc("eth_sendTransaction", [{ from: accounts.at(-1), to: DETERMINISTIC_DEPLOYER, data: factoryDeployData, gas: "0x1c9c380" }]).catch(() => undefined);
  for (const deadline = Date.now() + 10_000; (await rpc<Hex>("eth_getCode", [factoryAddress, "latest"])) === "0x"; ) {
    if (Date.now() > deadline) throw new Error("the factory was not deployed");
    await new Promise((r) => setTimeout(r, 50));
  }
}

export type Deployer = { address: Address; signer: TransactionSigner; key: Hex };

/**
 * A funded account of its own (a fresh key, never committed) for the tests of
 * one file: the project's DEPLOYER_PRIVATE_KEY is shared with signer.test.ts,
 * which runs beside these, and two Signers of one account would take each
 * other's nonces.
 */
export async function freshDeployer(): Promise<Deployer> {
  const key = generatePrivateKey();
  const signer = await privateKeySigner(key);
  const address = (await signer.address()) as Address;
  await rpc("anvil_setBalance", [address, "0x56BC75E2D63100000"]); // 100 ETH
  return { address, signer, key };
}

/** The Signer the consumers use for this account, told to sign with its key (as signer.test.ts does). */
export async function signerOf(d: Deployer, chain = "local-eth"): Promise<DurableObjectStub<Signer>> {
  const stub = env.SIGNER.get(env.SIGNER.idFromName(`${chain}:${d.address.toLowerCase()}`));
  await runInDurableObject(stub, (instance) => {
    (instance as unknown as { txSigner: TransactionSigner | null }).txSigner = d.signer;
  });
  return stub;
}

export function launchRequest(overrides: Partial<LaunchRequest> = {}): LaunchRequest {
  return {
    chain: "local-eth", name: "Workerd Test", symbol: "WKT", decimals: 18, initialSupply: "1000",
    owner: OWNER, features: { mintable: false, burnable: true, pausable: false, permit: false }, ...overrides,
  } as LaunchRequest;
}

let seq = 0;

/** A launch row as the api writes it (the CREATE2 address predicted for `deployer`, or `addressOf` its id), in any status. */
export async function insertLaunch(
  d: { address: string },
  opts: { request?: Partial<LaunchRequest>; row?: Partial<LaunchRow>; addressOf?: (id: string) => Promise<string> } = {},
): Promise<LaunchRow> {
  const id = newId("lch") + (seq++).toString(36);
  const req = launchRequest(opts.request);
  const now = Date.now();
  const row = {
    id, creatorId: "usr_workerd", chain: req.chain, owner: req.owner, request: req, factoryVersion: "1",
    deployer: d.address, status: "queued", address: opts.addressOf ? await opts.addressOf(id) : evmLaunchAddress(id, d.address as Address, req), txHash: null, nonce: null,
    blockNumber: null, gasUsed: null, attempts: 0, errorType: null, errorDetail: null, idempotencyKey: null,
    requestHash: `hash-${id}`, createdAt: now, updatedAt: now, ...opts.row,
  } as LaunchRow;
  await env.DB.batch([
    env.DB.prepare("INSERT OR IGNORE INTO users (id, wallet_address, role, created_at) VALUES ('usr_workerd', '0xworkerd', 'user', 0)"),
    env.DB.prepare(
      `INSERT INTO launches (id, creator_id, chain, owner, request, factory_version, deployer, status, address, tx_hash, nonce, block_number,
         gas_used, attempts, error_type, error_detail, idempotency_key, request_hash, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).bind(row.id, row.creatorId, row.chain, row.owner, JSON.stringify(row.request), row.factoryVersion, row.deployer, row.status, row.address, row.txHash, row.nonce,
      row.blockNumber, row.gasUsed, row.attempts, row.errorType, row.errorDetail, row.idempotencyKey, row.requestHash, row.createdAt, row.updatedAt),
  ]);
  return row;
}

export async function launchRow(id: string) {
  return env.DB.prepare("SELECT * FROM launches WHERE id = ?").bind(id).first<{
    status: string; tx_hash: string | null; nonce: number | null; block_number: number | null; attempts: number; error_type: string | null; error_detail: string | null;
  }>();
}

export async function eventsOf(id: string) {
  const { results } = await env.DB.prepare("SELECT status, detail FROM launch_events WHERE launch_id = ? ORDER BY id").bind(id).all<{ status: string; detail: string }>();
  return results;
}

/** A real producer whose sends the test can read back (they still go to the queue). */
export function recorded<T>(queue: Queue<T>) {
  const sent: { body: T; delaySeconds?: number }[] = [];
  const producer = {
    async send(body: T, opts?: QueueSendOptions) {
      sent.push({ body, delaySeconds: opts?.delaySeconds });
      return queue.send(body, opts);
    },
    async sendBatch(messages: Iterable<MessageSendRequest<T>>, opts?: QueueSendBatchOptions) {
      const list = [...messages];
      for (const m of list) sent.push({ body: m.body, delaySeconds: m.delaySeconds ?? opts?.delaySeconds });
      return queue.sendBatch(list, opts);
    },
  } as Queue<T>;
  return { producer, sent };
}

/** The Worker's env with its CONFIRMATIONS, WEBHOOK_EVENTS and ANNOUNCEMENTS producers recorded. */
export function recordingEnv() {
  const confirmations = recorded(env.CONFIRMATIONS);
  const webhooks = recorded(env.WEBHOOK_EVENTS);
  const announcements = recorded(env.ANNOUNCEMENTS);
  const workerEnv = { ...(env as unknown as Env), CONFIRMATIONS: confirmations.producer, WEBHOOK_EVENTS: webhooks.producer, ANNOUNCEMENTS: announcements.producer } as Env;
  return { env: workerEnv, confirmations: confirmations.sent, webhooks: webhooks.sent, announcements: announcements.sent };
}
