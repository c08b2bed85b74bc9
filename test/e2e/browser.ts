// Browser helpers for the web e2e tests: Debian's Chromium driven by
// playwright-core, test wallets injected into the page (an EIP-1193 provider
// announced through EIP-6963, and a Wallet Standard Solana wallet) whose keys
// stay in the test process (page.exposeFunction bridges every request), console
// error collection, and screenshots at phone and desktop sizes.
import { execFileSync } from "node:child_process";
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type ConsoleMessage, type Page } from "playwright-core";
import { getTransactionDecoder, getTransactionEncoder, type SignatureBytes, type Transaction } from "@solana/kit";
import { createWalletClient, http, toHex, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { ROOT } from "../../tools/platform";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
  "--no-first-run", "--disable-sync",
];

export const launchBrowser = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });

export const VIEWPORTS = { phone: { width: 375, height: 812 }, desktop: { width: 1280, height: 800 } } as const;
export const SCREENSHOT_DIR = join(ROOT, "test-results/screenshots");

/** Rebuilds web/dist when a source file is newer than the build (npm test builds it first anyway). */
export function buildWebIfStale() {
  const dist = join(ROOT, "web/dist/index.html");
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
      const p = join(dir, e.name);
      return Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }, 0);
  const sources = Math.max(newest(join(ROOT, "web/src")), statSync(join(ROOT, "web/index.html")).mtimeMs, statSync(join(ROOT, "web/vite.config.ts")).mtimeMs);
  if (existsSync(dist) && statSync(dist).mtimeMs >= sources) return;
  execFileSync(join(ROOT, "node_modules/.bin/vite"), ["build", "--config", "web/vite.config.ts", "--logLevel", "warn"], { cwd: ROOT, stdio: "inherit" });
}

/** Console errors, page errors and failed requests of a page (the tests expect none). */
export function collectErrors(page: Page, ignore: RegExp[] = []) {
  const errors: string[] = [];
  const keep = (s: string) => !ignore.some((r) => r.test(s)) && errors.push(s);
  page.on("console", (m: ConsoleMessage) => {
    if (m.type() === "error") keep(`console: ${m.text()} @ ${m.location().url}`);
  });
  page.on("pageerror", (e) => keep(`pageerror: ${e.message}`));
  page.on("dialog", (d) => {
    keep(`dialog: ${d.type()} ${d.message()}`);
    void d.dismiss();
  });
  return errors;
}

/** Signs in through the page's wallet dialog with the named test wallet (installed beforehand). */
export async function signIn(page: Page, walletName: string) {
  await page.getByTestId("sign-in").click();
  const dialog = page.getByRole("dialog", { name: "Sign in with a wallet" });
  await dialog.getByRole("button", { name: walletName }).click();
  await page.getByTestId("account").waitFor({ timeout: 15_000 });
  await dialog.waitFor({ state: "detached" });
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const { width, height } = page.viewportSize()!;
  const file = join(SCREENSHOT_DIR, `${name}-${width}x${height}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Screenshots at both sizes; leaves the page at the size it had. */
export async function screenshotBoth(page: Page, name: string, settle: () => Promise<unknown> = async () => undefined) {
  const before = page.viewportSize()!;
  for (const size of [VIEWPORTS.phone, VIEWPORTS.desktop]) {
    await page.setViewportSize(size);
    await page.evaluate("window.scrollTo(0, 0)"); // sticky panels sit where they would on arrival
    await settle();
    await page.waitForTimeout(150);
    await screenshot(page, name);
  }
  await page.setViewportSize(before);
}

// ---- the EVM test wallet ---------------------------------------------------

/** anvil's first well-known dev account (public test key, funded on every anvil chain). */
export const ANVIL_KEY_0: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

export type EvmWalletLog = { method: string; params: unknown }[];

const ICON_SVG = (color: string) =>
  "data:image/svg+xml;base64," + Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="${color}"/><path d="M8 16h16M16 8v16" stroke="#fff" stroke-width="4"/></svg>`).toString("base64");

/**
 * Injects an EIP-1193 provider that announces itself through EIP-6963 (name, icon,
 * rdns) before any page script runs. Requests go to the test process, where a viem
 * local account answers: accounts, chain id, personal_sign, chain switching,
 * wallet_watchAsset, and eth_sendTransaction (signed with the local key and sent to
 * `rpcUrls[chainId]`), all recorded in the returned log. Nothing else is supported.
 * `rejectNext(method)` makes the next request of that method fail as a user would
 * decline it (EIP-1193 code 4001).
 */
export async function installEvmWallet(
  page: Page,
  opts: { privateKey?: Hex; chainId?: number; name?: string; rdns?: string; rpcUrls?: Record<number, string> } = {},
) {
  const account = privateKeyToAccount(opts.privateKey ?? ANVIL_KEY_0);
  let chainId = opts.chainId ?? 31337;
  const log: EvmWalletLog = [];
  const known = new Set([31337, 31338, chainId]);
  const rejecting = new Set<string>();
  const sent: Hex[] = [];
  await page.exposeFunction("__tfEvmWalletRequest", async (json: string) => {
    const { method, params } = JSON.parse(json) as { method: string; params?: any };
    log.push({ method, params });
    if (rejecting.delete(method)) return { error: { code: 4001, message: "User rejected the request." } };
    try {
      switch (method) {
        case "eth_requestAccounts":
        case "eth_accounts":
          return { result: [account.address.toLowerCase()] };
        case "eth_chainId":
          return { result: toHex(chainId) };
        case "personal_sign": {
          const [data] = params as [Hex, string];
          return { result: await account.signMessage({ message: { raw: data } }) };
        }
        case "wallet_switchEthereumChain": {
          const want = Number(BigInt(params[0].chainId));
          if (!known.has(want)) return { error: { code: 4902, message: "Unrecognized chain ID" } };
          chainId = want;
          return { result: null };
        }
        case "wallet_addEthereumChain":
          known.add(Number(BigInt(params[0].chainId)));
          chainId = Number(BigInt(params[0].chainId));
          return { result: null };
        case "wallet_watchAsset":
          return { result: true };
        case "eth_sendTransaction": {
          const [tx] = params as [{ from: string; to: Hex; data?: Hex; value?: Hex; gas?: Hex; chainId?: Hex }];
          if (tx.from.toLowerCase() !== account.address.toLowerCase()) return { error: { code: 4100, message: `not authorized to send from ${tx.from}` } };
          if (tx.chainId !== undefined && Number(BigInt(tx.chainId)) !== chainId) return { error: { code: -32602, message: "chainId does not match the wallet's chain" } };
          const rpcUrl = opts.rpcUrls?.[chainId];
          if (!rpcUrl) return { error: { code: 4901, message: `the test wallet has no RPC for chain ${chainId}` } };
          // Like a real wallet: estimate, sign locally (the key never leaves this process), broadcast.
          const client = createWalletClient({ account, transport: http(rpcUrl) });
          const hash = await client.sendTransaction({
            chain: null, to: tx.to, data: tx.data, value: tx.value ? BigInt(tx.value) : 0n, ...(tx.gas ? { gas: BigInt(tx.gas) } : {}),
          });
          sent.push(hash);
          return { result: hash };
        }
        default:
          return { error: { code: 4200, message: `the test wallet does not support ${method}` } };
      }
    } catch (e) {
      return { error: { code: -32603, message: (e as Error).message } };
    }
  });
  const info = { uuid: "5f1c3b9e-7c1a-4d7e-9d2a-0c9a1e2b3c4d", name: opts.name ?? "Test Wallet", icon: ICON_SVG("#6d28d9"), rdns: opts.rdns ?? "dev.tokenforge.testwallet" };
  // A string, not a function: tsx would add helpers (__name) the page does not have.
  await page.addInitScript(`(() => {
    const info = ${JSON.stringify(info)};
    const bridge = window.__tfEvmWalletRequest;
    const provider = {
      isTokenForgeTestWallet: true,
      async request({ method, params }) {
        const answer = await bridge(JSON.stringify({ method, params }));
        if (answer.error) throw Object.assign(new Error(answer.error.message), { code: answer.error.code });
        return answer.result;
      },
      on() {},
      removeListener() {},
    };
    const announce = () =>
      window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info: Object.freeze({ ...info }), provider }) }));
    window.addEventListener("eip6963:requestProvider", announce);
    announce();
  })();`);
  return { address: account.address, log, info, sent, rejectNext: (method: string) => void rejecting.add(method) };
}

// ---- the Solana test wallet (Wallet Standard) -------------------------------

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
export function base58(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = "";
  while (n > 0n) {
    out = ALPHABET[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = "1" + out;
  }
  return out;
}

export function solanaKeypair(): { privateKey: KeyObject; publicKey: Uint8Array; address: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const raw = new Uint8Array(Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url"));
  return { privateKey, publicKey: raw, address: base58(raw) };
}

/**
 * Injects a Wallet Standard wallet ("standard:connect", "standard:events",
 * "solana:signMessage", "solana:signTransaction", "solana:signAndSendTransaction")
 * that registers itself both ways the standard allows (the register-wallet event,
 * and answering app-ready). Its ed25519 key stays in the test process, which signs
 * the transaction's message bytes in the fee payer's (or any signer's) slot, leaving
 * the other signatures as they came; signAndSend broadcasts to `rpcUrl`.
 * `rejectNext(feature)` makes the next call of that feature fail as a user would
 * decline it (code 4001, as wallets answer).
 */
export async function installSolanaWallet(page: Page, opts: { chain?: string; name?: string; rpcUrl?: string } = {}) {
  const key = solanaKeypair();
  const signed: string[] = [];
  const signedTransactions: Uint8Array[] = [];
  const rejecting = new Set<string>();
  const rejected = (feature: string) => (rejecting.delete(feature) ? { error: { code: 4001, message: "User rejected the request." } } : null);
  await page.exposeFunction("__tfSolanaWalletSign", async (messageB64: string) => {
    const message = Buffer.from(messageB64, "base64");
    signed.push(message.toString("utf8"));
    return sign(null, message, key.privateKey).toString("base64");
  });
  const signTx = (wire: Uint8Array): Uint8Array => {
    const tx = getTransactionDecoder().decode(wire) as Transaction;
    if (!(key.address in tx.signatures)) throw new Error(`the transaction does not need ${key.address}'s signature`);
    const signature = new Uint8Array(sign(null, Buffer.from(tx.messageBytes), key.privateKey)) as SignatureBytes;
    const out = new Uint8Array(getTransactionEncoder().encode({ ...tx, signatures: { ...tx.signatures, [key.address]: signature } }));
    signedTransactions.push(out);
    return out;
  };
  await page.exposeFunction("__tfSolanaWalletTx", async (json: string) => {
    const { feature, transaction, options } = JSON.parse(json) as { feature: string; transaction: string; options?: { preflightCommitment?: string } };
    const no = rejected(feature);
    if (no) return no;
    try {
      const wire = signTx(new Uint8Array(Buffer.from(transaction, "base64")));
      if (feature === "solana:signTransaction") return { result: Buffer.from(wire).toString("base64") };
      if (!opts.rpcUrl) return { error: { code: -32603, message: "the test wallet has no RPC URL" } };
      const res = await fetch(opts.rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "sendTransaction", params: [Buffer.from(wire).toString("base64"), { encoding: "base64", ...(options?.preflightCommitment ? { preflightCommitment: options.preflightCommitment } : {}) }] }),
      });
      const body = (await res.json()) as { result?: string; error?: { code: number; message: string } };
      if (body.error) return { error: body.error };
      // The signature is the fee payer's, the first 64 bytes after the count.
      return { result: Buffer.from(getTransactionDecoder().decode(wire).signatures[key.address as keyof Transaction["signatures"]]!).toString("base64") };
    } catch (e) {
      return { error: { code: -32603, message: (e as Error).message } };
    }
  });
  const wallet = { name: opts.name ?? "Test Solana Wallet", icon: ICON_SVG("#0f766e"), chain: opts.chain ?? "solana:localnet", address: key.address, publicKey: [...key.publicKey] };
  await page.addInitScript(`(() => {
    const w = ${JSON.stringify(wallet)};
    const signBridge = window.__tfSolanaWalletSign;
    const txBridge = window.__tfSolanaWalletTx;
    const b64 = (bytes) => { let s = ""; for (const b of bytes) s += String.fromCharCode(b); return btoa(s); };
    const unb64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
    const tx = async (feature, transaction, options) => {
      const answer = await txBridge(JSON.stringify({ feature, transaction: b64(transaction), options }));
      if (answer.error) throw Object.assign(new Error(answer.error.message), { code: answer.error.code });
      return unb64(answer.result);
    };
    const account = Object.freeze({
      address: w.address,
      publicKey: new Uint8Array(w.publicKey),
      chains: Object.freeze([w.chain]),
      features: Object.freeze(["solana:signMessage", "solana:signTransaction", "solana:signAndSendTransaction"]),
    });
    let accounts = [];
    const wallet = {
      version: "1.0.0",
      name: w.name,
      icon: w.icon,
      chains: Object.freeze([w.chain]),
      get accounts() { return accounts; },
      features: {
        "standard:connect": { version: "1.0.0", connect: async () => { accounts = [account]; return { accounts }; } },
        "standard:events": { version: "1.0.0", on: () => () => {} },
        "solana:signMessage": {
          version: "1.0.0",
          signMessage: async (...inputs) =>
            Promise.all(inputs.map(async (i) => ({ signedMessage: i.message, signature: unb64(await signBridge(b64(i.message))) }))),
        },
        "solana:signTransaction": {
          version: "1.0.0",
          supportedTransactionVersions: Object.freeze(["legacy", 0]),
          signTransaction: async (...inputs) =>
            Promise.all(inputs.map(async (i) => ({ signedTransaction: await tx("solana:signTransaction", i.transaction) }))),
        },
        "solana:signAndSendTransaction": {
          version: "1.0.0",
          supportedTransactionVersions: Object.freeze(["legacy", 0]),
          signAndSendTransaction: async (...inputs) =>
            Promise.all(inputs.map(async (i) => ({ signature: await tx("solana:signAndSendTransaction", i.transaction, i.options) }))),
        },
      },
    };
    const callback = ({ register }) => register(wallet);
    window.addEventListener("wallet-standard:app-ready", (e) => callback(e.detail));
    window.dispatchEvent(new CustomEvent("wallet-standard:register-wallet", { detail: callback }));
  })();`);
  return {
    address: key.address, signed, signedTransactions, publicKey: key.publicKey, privateKey: key.privateKey,
    rejectNext: (feature: "solana:signTransaction" | "solana:signAndSendTransaction") => void rejecting.add(feature),
  };
}
