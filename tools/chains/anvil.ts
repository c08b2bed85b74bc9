// The one anvil launcher of the repo (the platform, the benches and the tests):
// runs the real binary shipped by @foundry-rs/anvil as a child process on the
// given port (or a free one), waits until it answers JSON-RPC, and stops exactly
// that process.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freePort } from "../free-port";

export const ANVIL_BIN = fileURLToPath(new URL("../../node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil", import.meta.url));

export type AnvilNode = { rpcUrl: string; port: number; chainId: number; process: ChildProcess; stop: () => Promise<void> };

type AnvilOptions = {
  port?: number; chainId?: number; blockTime?: number; args?: string[];
  /** Where a port comes from when none is given (tests inject a taken one). */
  pickPort?: () => Promise<number>;
};

/**
 * Without a port it takes a free one (and another one if something else took
 * that port between our probe and anvil's bind: tests start many processes at
 * once); without a chain id, anvil's default 31337.
 */
export async function runAnvil(opts: AnvilOptions = {}): Promise<AnvilNode> {
  for (let tries = 1; ; tries++) {
    try {
      return await startAnvil(opts.port ?? (await (opts.pickPort ?? freePort)()), opts);
    } catch (e) {
      const clash = e instanceof Error && /Address already in use/.test(e.message);
      if (opts.port !== undefined || !clash || tries >= 5) throw e;
    }
  }
}

async function startAnvil(port: number, opts: AnvilOptions): Promise<AnvilNode> {
  const chainId = opts.chainId ?? 31337;
  const args = ["--port", String(port), "--host", "127.0.0.1", "--chain-id", String(chainId), "--quiet", ...(opts.args ?? [])];
  if (opts.blockTime) args.push("--block-time", String(opts.blockTime));
  const child = spawn(ANVIL_BIN, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr += d));
  const rpcUrl = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 3_000).unref();
    });
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`anvil on port ${port} exited (${child.exitCode}): ${stderr.trim()}`);
    try {
      // Bounded: if the port belongs to someone else who holds the connection, the exit check above still runs.
      await rpc(rpcUrl, "eth_chainId", [], 1_000);
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`anvil did not start on ${rpcUrl}: ${stderr.trim()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { rpcUrl, port, chainId, process: child, stop };
}

export async function rpc<T = unknown>(url: string, method: string, params: unknown[], timeoutMs?: number): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    ...(timeoutMs ? { signal: AbortSignal.timeout(timeoutMs) } : {}),
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}
