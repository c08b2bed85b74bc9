// A local stand-in for the explorers' verification APIs, for tests and `npm start`:
// Etherscan's API v2 (`/v2/api?chainid=…`: verifysourcecode, checkverifystatus,
// verifyproxycontract, checkproxyverification, getsourcecode) and Sourcify's v2
// (`POST /v2/verify/{chainId}/{address}`, `GET /v2/verify/{id}`), answering the
// documented shapes. It does what they do: compiles the submitted standard-JSON
// input with solc-js (compile-worker.mjs, a child process) and compares the
// runtime code with the code on the local chain, immutables masked out, so a
// wrong or tampered input is refused. A clone is "proxy verified" when its code
// is an EIP-1167 proxy to a verified implementation. Plan limits: `perSecond`
// calls per key answer Etherscan's rate-limit result beyond it, as the real one does.
import { spawn } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export type ExplorerOptions = {
  /** chain id → JSON-RPC URL of the local node whose code is compared. */
  chains: Record<number, string>;
  apiKey: string;
  /** Etherscan's per-second limit of the plan (free tier: 3). */
  perSecond?: number;
  port?: number;
};

export type Explorer = {
  url: string;
  /** The one key it accepts (a fresh random one per start, for tests that call it directly). */
  apiKey: string;
  /** Etherscan verifications by lower-case address (what explorers show as "Contract Source Code Verified"). */
  verified(chainId: number, address: string): { name: string; match: "exact_match" | "match" } | null;
  /** Every API call received: action and outcome (rate limits included), for tests. */
  calls: { action: string; at: number; result: string }[];
  close(): Promise<void>;
};

type Job = { done: boolean; ok: boolean; message: string; match?: "exact_match" | "match" };
type SolcOut = { errors?: { severity: string; formattedMessage: string }[]; contracts?: Record<string, Record<string, { evm: { deployedBytecode: { object: string; immutableReferences?: Record<string, { start: number; length: number }[]> } } }>> };

const COMPILE_WORKER = join(dirname(fileURLToPath(import.meta.url)), "compile-worker.mjs");
/** EIP-1167 minimal proxy runtime: prefix + 20-byte implementation + suffix. */
const CLONE = /^0x363d3d373d3d3d363d73([0-9a-f]{40})5af43d82803e903d91602b57fd5bf3$/;

export async function startExplorer(opts: ExplorerOptions): Promise<Explorer> {
  const jobs = new Map<string, Job>();
  const sourcifyJobs = new Map<string, Job & { chainId: number; address: string }>();
  const verified = new Map<string, { name: string; match: "exact_match" | "match" }>();
  const calls: Explorer["calls"] = [];
  const recent: number[] = [];
  const perSecond = opts.perSecond ?? 3;
  const key = (chainId: number, a: string) => `${chainId}:${a.toLowerCase()}`;

  async function verifySource(chainId: number, address: string, input: string, contract: string, compiler: string): Promise<Job> {
    const rpc = opts.chains[chainId];
    if (!rpc) return fail(`chain ${chainId} is not supported`);
    const code = await getCode(rpc, address);
    if (code === "0x") return fail(`no contract at ${address}`);
    let parsed: { settings?: { outputSelection?: unknown } };
    try {
      parsed = JSON.parse(input);
    } catch {
      return fail("Unable to parse the standard-JSON input");
    }
    // As Sourcify does: the output selection is ours, whatever was submitted (it never changes the code).
    parsed.settings = { ...parsed.settings, outputSelection: { "*": { "*": ["evm.deployedBytecode.object", "evm.deployedBytecode.immutableReferences"] } } };
    const out = JSON.parse(await compile(JSON.stringify(parsed))) as SolcOut;
    const errors = (out.errors ?? []).filter((e) => e.severity === "error");
    if (errors.length) return fail(`Compilation failed: ${errors[0]!.formattedMessage.split("\n")[0]}`);
    const want = (await solcVersion()).replace(/\.Emscripten.*$/, "");
    if (compiler.replace(/^v/, "") !== want) return fail(`Compiler version ${compiler} is not available here (${want})`);
    const [file, name] = splitIdentifier(contract);
    const c = out.contracts?.[file]?.[name];
    if (!c) return fail(`Contract ${contract} is not in the input`);
    const match = compareRuntime(code, c.evm.deployedBytecode.object, c.evm.deployedBytecode.immutableReferences ?? {});
    if (!match) return fail("Fail - Unable to verify. The compiled code does not match the code at the address");
    verified.set(key(chainId, address), { name, match });
    return { done: true, ok: true, message: "Pass - Verified", match };
  }

  const server = createServer((req, res) => {
    void handle(req, res).catch((e) => send(res, 500, { status: "0", message: "NOTOK", result: String(e) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://x");
    const body = req.method === "POST" ? await readBody(req) : "";
    if (url.pathname.startsWith("/v2/verify")) return sourcify(req, res, url, body);
    if (url.pathname !== "/v2/api" && url.pathname !== "/api") return send(res, 404, { error: "not found" });
    const form = new URLSearchParams(url.search);
    if (body) for (const [k, v] of (req.headers["content-type"] ?? "").includes("json") ? Object.entries(JSON.parse(body) as Record<string, string>) : new URLSearchParams(body)) form.set(k, v);
    const action = form.get("action") ?? "";
    const answer = (status: "0" | "1", result: unknown) => {
      calls.push({ action, at: Date.now(), result: String(result).slice(0, 120) });
      send(res, 200, { status, message: status === "1" ? "OK" : "NOTOK", result });
    };
    if (form.get("apikey") !== opts.apiKey) return answer("0", "Invalid API Key (#err2)|etherscan.io");
    const now = Date.now();
    while (recent.length && now - recent[0]! >= 1000) recent.shift();
    if (recent.length >= perSecond) return answer("0", `Max calls per sec rate limit reached (${perSecond}/sec)`);
    recent.push(now);
    const chainId = Number(form.get("chainid"));
    if (!opts.chains[chainId]) return answer("0", `Missing or unsupported chainid parameter (required for v2 api)`);
    if (form.get("module") !== "contract") return answer("0", "Error! Missing Or invalid Module name");

    if (action === "verifysourcecode") {
      const address = form.get("contractaddress") ?? "";
      if (verified.has(key(chainId, address))) return answer("0", "Contract source code already verified");
      if (form.get("codeformat") !== "solidity-standard-json-input") return answer("0", "Invalid codeformat: only solidity-standard-json-input here");
      const guid = randomUUID().replace(/-/g, "") + Date.now().toString(36);
      jobs.set(guid, { done: false, ok: false, message: "Pending in queue" });
      void verifySource(chainId, address, form.get("sourceCode") ?? "", form.get("contractname") ?? "", form.get("compilerversion") ?? "")
        .catch((e) => fail(String(e))).then((j) => jobs.set(guid, j));
      return answer("1", guid);
    }
    if (action === "checkverifystatus") {
      const j = jobs.get(form.get("guid") ?? "");
      if (!j) return answer("0", "Unable to locate GUID");
      return answer(j.ok ? "1" : "0", j.message);
    }
    if (action === "verifyproxycontract") {
      const address = form.get("address") ?? "";
      const code = (await getCode(opts.chains[chainId]!, address)).toLowerCase();
      const impl = CLONE.exec(code)?.[1];
      const expected = form.get("expectedimplementation")?.toLowerCase().replace(/^0x/, "");
      const guid = randomUUID().replace(/-/g, "");
      if (!impl || (expected && expected !== impl) || !verified.has(key(chainId, `0x${impl}`))) {
        jobs.set(guid, { done: true, ok: false, message: "A corresponding implementation contract was unfortunately not detected for the proxy address." });
      } else {
        verified.set(key(chainId, address), { ...verified.get(key(chainId, `0x${impl}`))!, match: "match" });
        jobs.set(guid, { done: true, ok: true, message: `The proxy's (${address}) implementation contract is found at 0x${impl} and is successfully updated.` });
      }
      return answer("1", guid);
    }
    if (action === "checkproxyverification") {
      const j = jobs.get(form.get("guid") ?? "");
      if (!j) return answer("0", "Unable to locate GUID");
      return answer(j.ok ? "1" : "0", j.message);
    }
    if (action === "getsourcecode") {
      const v = verified.get(key(chainId, form.get("address") ?? ""));
      return answer("1", [{ SourceCode: v ? "(standard JSON)" : "", ContractName: v?.name ?? "", ABI: v ? "[]" : "Contract source code not verified" }]);
    }
    return answer("0", `Error! Invalid action ${action}`);
  }

  async function sourcify(req: IncomingMessage, res: ServerResponse, url: URL, body: string) {
    const parts = url.pathname.split("/").filter(Boolean); // v2 verify {chainId} {address} | v2 verify {id}
    if (req.method === "POST" && parts.length === 4) {
      const chainId = Number(parts[2]);
      const address = parts[3]!;
      const b = JSON.parse(body || "{}") as { stdJsonInput?: unknown; compilerVersion?: string; contractIdentifier?: string };
      if (!opts.chains[chainId]) return send(res, 400, { customCode: "unsupported_chain", message: `Chain ${chainId} is not supported`, errorId: randomUUID() });
      if (!b.stdJsonInput || !b.compilerVersion || !b.contractIdentifier) return send(res, 400, { customCode: "invalid_parameter", message: "stdJsonInput, compilerVersion and contractIdentifier are required", errorId: randomUUID() });
      const id = randomUUID();
      sourcifyJobs.set(id, { done: false, ok: false, message: "", chainId, address });
      void verifySource(chainId, address, JSON.stringify(b.stdJsonInput), b.contractIdentifier, b.compilerVersion)
        .catch((e) => fail(String(e))).then((j) => sourcifyJobs.set(id, { ...j, chainId, address }));
      return send(res, 202, { verificationId: id });
    }
    if (req.method === "GET" && parts.length === 3) {
      const j = sourcifyJobs.get(parts[2]!);
      if (!j) return send(res, 404, { customCode: "job_not_found", message: "No verification job with this id", errorId: randomUUID() });
      return send(res, 200, {
        isJobCompleted: j.done, verificationId: parts[2],
        contract: { match: j.ok ? j.match ?? null : null, runtimeMatch: j.ok ? j.match ?? null : null, creationMatch: null, chainId: String(j.chainId), address: j.address },
        ...(j.done && !j.ok ? { error: { customCode: "no_match", message: j.message, errorId: randomUUID() } } : {}),
      });
    }
    return send(res, 404, { customCode: "not_found", message: "not found" });
  }

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey: opts.apiKey,
    verified: (chainId, address) => verified.get(key(chainId, address)) ?? null,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function fail(message: string): Job {
  return { done: true, ok: false, message: message.startsWith("Fail") ? message : `Fail - Unable to verify. ${message}` };
}

/**
 * The compiled runtime against the chain's: immutables are zero in the compiler's
 * output and filled in at deployment, so those byte ranges are taken from the
 * chain's code before comparing. Equal, with a metadata hash in the CBOR trailer
 * (its length is the code's last two bytes) → exact_match; equal without one, or
 * equal but for the trailer → match. As Sourcify rules: an exact match is the
 * metadata hash's fingerprint agreeing, and a build with `bytecodeHash: "none"`
 * (ours: see tools/compile-contracts.ts) has no fingerprint, so it is a match.
 */
export function compareRuntime(onChainHex: string, compiledHex: string, immutables: Record<string, { start: number; length: number }[]>): "exact_match" | "match" | null {
  const chain = hexBytes(onChainHex);
  const compiled = hexBytes(compiledHex);
  if (chain.length !== compiled.length || !compiled.length) return null;
  const masked = Uint8Array.from(compiled);
  for (const refs of Object.values(immutables)) for (const { start, length } of refs) masked.set(chain.subarray(start, start + length), start);
  const trailer = (c: Uint8Array) => c.length - 2 - ((c[c.length - 2]! << 8) | c[c.length - 1]!);
  const cut = trailer(masked);
  if (equal(masked, chain)) return cut > 0 && hasMetadataHash(chain.subarray(cut, chain.length - 2)) ? "exact_match" : "match";
  return cut > 0 && cut === trailer(chain) && equal(masked.subarray(0, cut), chain.subarray(0, cut)) ? "match" : null;
}

/** The CBOR map's keys solc writes for a metadata hash: the text strings "ipfs", "bzzr0", "bzzr1" (the "solc" key alone is only the version). */
function hasMetadataHash(cbor: Uint8Array): boolean {
  const text = Buffer.from(cbor).toString("latin1");
  return ["\x64ipfs", "\x65bzzr0", "\x65bzzr1"].some((key) => text.includes(key));
}

function splitIdentifier(id: string): [string, string] {
  const i = id.lastIndexOf(":");
  return i < 0 ? ["", id] : [id.slice(0, i), id.slice(i + 1)];
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.replace(/^0x/, ""), "hex"));
}

function equal(a: Uint8Array, b: Uint8Array) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

async function getCode(rpc: string, address: string): Promise<string> {
  const res = await fetch(rpc, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_getCode", params: [address, "latest"] }) });
  const j = (await res.json()) as { result?: string };
  return j.result ?? "0x";
}

let version: Promise<string> | null = null;
function solcVersion(): Promise<string> {
  return (version ??= import("solc").then((m) => (m.default as { version(): string }).version()));
}

/** solc is deterministic: one compile per distinct input (every chain submits the same build). */
const compiled = new Map<string, Promise<string>>();
export function compile(input: string): Promise<string> {
  const key = createHash("sha256").update(input).digest("hex");
  let p = compiled.get(key);
  if (!p) {
    p = compileOnce(input);
    compiled.set(key, p);
    p.catch(() => compiled.delete(key));
  }
  return p;
}

function compileOnce(input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [COMPILE_WORKER], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`solc exited ${code}: ${err.slice(0, 500)}`))));
    child.stdin.end(input);
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let s = "";
    req.setEncoding("utf8");
    req.on("data", (d) => (s += d));
    req.on("end", () => resolve(s));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
