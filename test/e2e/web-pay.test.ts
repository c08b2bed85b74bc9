// Issue 16, acceptance 4: in a real browser (Debian's Chromium via playwright-core)
// against the whole local platform, a signed-in user launches a token their own
// wallet pays for: the form gets a quote (network fee, TokenForge's fee, total,
// how long it holds), "Pay and launch" creates the launch, the injected test
// wallet pays (EVM: eth_sendTransaction signed with its local key; Solana: the
// Wallet Standard wallet signs with its local keypair) and the page follows the
// launch to confirmed. On the way: declining in the wallet is a clear, retryable
// message and charges nothing; the treasury grows by exactly the quoted fee; the
// platform's deployer pays nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createPublicClient, createWalletClient, http, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { factoryV2For, forgeFactoryV2Abi } from "@tokenforge/core/contracts/factory";
import { startPlatform, type Platform } from "../../tools/platform";
import { ANVIL_KEY_0, buildWebIfStale, collectErrors, installEvmWallet, installSolanaWallet, launchBrowser, screenshotBoth, VIEWPORTS, signIn } from "./browser";

/** anvil's fourth well-known dev account (public test key): the payer of the fee-change test. */
const OTHER_PAYER_KEY: Hex = "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6";

/** anvil's third well-known dev account (public test key): the payer, so its balance moves only for this test. */
const PAYER_KEY: Hex = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";

const WINDOW_SECONDS = 40;

type QuoteJson = { id: string; chain: string; currency: string; networkFee: string; platformFee: string; total: string; expiresAt: string };

let p: Platform;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  buildWebIfStale();
  // A short payment window so the expiry test sees one pass; the paying tests send within seconds.
  p = await startPlatform({ port: "auto", quiet: true, vars: { PAYMENT_WINDOW_SECONDS: String(WINDOW_SECONDS) } });
  await p.runCron(); // chain settings (fee, treasury) and fee estimates
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await p?.stop();
});

async function newPage(viewport: { width: number; height: number }) {
  const ctx = await browser.newContext({ viewport });
  contexts.push(ctx);
  const page = await ctx.newPage();
  return { page, errors: collectErrors(page) };
}

/** Clicks the launch button while it offers a quote; returns the quote the API answered with, once the page shows it. */
async function getQuote(page: Page): Promise<QuoteJson> {
  const button = page.getByTestId("launch-submit");
  await expect.poll(() => button.textContent()).toMatch(/Get a (new )?quote/);
  const answer = page.waitForResponse((r) => r.url().endsWith("/api/v1/quotes") && r.request().method() === "POST");
  await button.click();
  const res = await answer;
  expect(res.status(), await res.text()).toBe(201);
  const quote = (await res.json()) as QuoteJson;
  await expect.poll(() => button.textContent()).toBe("Pay and launch");
  return quote;
}

async function waitLaunchPage(page: Page): Promise<string> {
  await expect.poll(() => new URL(page.url()).pathname, { timeout: 15_000, interval: 100 }).toMatch(/^\/launches\/lch_[0-9a-z]{26}$/);
  return new URL(page.url()).pathname.split("/").pop()!;
}

async function waitStatus(page: Page, re: RegExp, timeout = 90_000) {
  await expect
    .poll(() => page.getByTestId("status").textContent(), { timeout, interval: 250 })
    .toMatch(re)
    .catch(async (e) => {
      throw new Error(`${e}\n${await page.locator("main").innerText()}`);
    });
}

/** The local factories' owner (anvil's first account, the registry's factoryOwner) sets the platform fee on local-eth. */
async function setEvmFee(rpcUrl: string, feeWei: bigint) {
  const owner = privateKeyToAccount(ANVIL_KEY_0);
  const transport = http(rpcUrl);
  const hash = await createWalletClient({ account: owner, transport }).writeContract({
    chain: null, address: factoryV2For(owner.address).factory, abi: forgeFactoryV2Abi, functionName: "setFee", args: [feeWei],
  });
  const receipt = await createPublicClient({ transport }).waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe("success");
}

describe("paying for a launch from the wallet, in the browser", () => {
  it("local-eth: quote → declined in the wallet (nothing charged) → the launch opened again → pay → confirmed; the treasury gets exactly the fee", async () => {
    const eth = p.chains.find((c) => c.id === "local-eth")!;
    const client = createPublicClient({ transport: http(eth.rpcUrl) });
    const { page, errors } = await newPage(VIEWPORTS.desktop);
    const reports: string[] = [];
    page.on("request", (r) => /\/launches\/lch_[0-9a-z]+\/payment$/.test(r.url()) && r.method() === "POST" && reports.push(r.postData() ?? ""));
    const wallet = await installEvmWallet(page, { privateKey: PAYER_KEY, rpcUrls: Object.fromEntries(p.chains.filter((c) => c.chainId).map((c) => [c.chainId!, c.rpcUrl])) });

    await page.goto(`${p.url}/launch?chain=local-eth`);
    await signIn(page, "Test Wallet");
    await page.getByLabel("Name", { exact: true }).fill("Paid Coin");
    await page.getByLabel("Symbol", { exact: true }).fill("PAID");
    await page.getByLabel("Initial supply", { exact: true }).fill("1000000");
    expect(await page.getByLabel("Owner", { exact: true }).inputValue()).toBe(wallet.address);

    const quote = await getQuote(page);
    expect(quote).toMatchObject({ chain: "local-eth", currency: "ETH", platformFee: String(10n ** 15n) });
    expect(BigInt(quote.total)).toBe(BigInt(quote.networkFee) + BigInt(quote.platformFee));
    expect(await page.getByTestId("quote-platform-fee").textContent()).toBe("0.001 ETH");
    expect(await page.getByTestId("quote-total").textContent()).toMatch(/^0\.\d+ ETH$/);
    expect(await page.getByTestId("quote-expiry").textContent()).toMatch(/holds for \d:\d\d/);
    await screenshotBoth(page, "pay-quote-evm");

    const treasuryBefore = await client.getBalance({ address: p.evmTreasury });
    const deployerBefore = await client.getBalance({ address: p.deployer });

    // The user says no in the wallet: the launch waits, the page says so and offers to pay again.
    wallet.rejectNext("eth_sendTransaction");
    await page.getByTestId("launch-submit").click();
    const id = await waitLaunchPage(page);
    await page.getByTestId("payment-declined").waitFor({ timeout: 15_000 });
    expect(await page.getByTestId("payment-declined").textContent()).toMatch(/You declined the payment in Test Wallet\..*Nothing was charged/);
    expect(await page.getByTestId("status").textContent()).toBe("Awaiting payment");
    expect(wallet.sent).toEqual([]);
    await screenshotBoth(page, "pay-declined-evm");

    // Opened again later (no state from the form): the wallet is not asked by itself, and the
    // launch view's payment terms are enough to pay.
    await page.goto(`${p.url}/launches/${id}`);
    await page.getByTestId("pay").waitFor({ timeout: 15_000 });
    await page.waitForTimeout(500);
    expect(wallet.log.filter((r) => r.method === "eth_sendTransaction")).toHaveLength(1); // only the declined one
    await page.getByTestId("pay").click();
    await waitStatus(page, /Confirmed/);
    expect(wallet.sent).toHaveLength(1);
    const send = wallet.log.filter((r) => r.method === "eth_sendTransaction").at(-1)!.params as [{ from: string; value: string }];
    expect(send[0].from.toLowerCase()).toBe(wallet.address.toLowerCase());
    expect(BigInt(send[0].value)).toBe(BigInt(quote.platformFee));
    expect(reports).toEqual([JSON.stringify({ txHash: wallet.sent[0] })]); // the page told the API at once

    const view = (await (await fetch(`${p.url}/api/v1/launches/${id}`)).json()) as { status: string; txHash: string; address: string };
    expect(view).toMatchObject({ status: "confirmed", txHash: wallet.sent[0] });
    expect(await page.getByTestId("token-address").textContent()).toBe(view.address);
    expect(await client.getBalance({ address: p.evmTreasury })).toBe(treasuryBefore + BigInt(quote.platformFee));
    expect(await client.getBalance({ address: p.deployer })).toBe(deployerBefore);
    await screenshotBoth(page, "pay-confirmed-evm");
    expect(errors).toEqual([]);
  });

  it("local-sol: quote → the Wallet Standard wallet signs → confirmed; the treasury gets exactly the fee", async () => {
    const sol = p.chains.find((c) => c.id === "local-sol")!;
    const { page, errors } = await newPage(VIEWPORTS.phone);
    const reports: string[] = [];
    page.on("request", (r) => /\/launches\/lch_[0-9a-z]+\/payment$/.test(r.url()) && r.method() === "POST" && reports.push(r.postData() ?? ""));
    const wallet = await installSolanaWallet(page, { rpcUrl: sol.rpcUrl });
    p.solana.node.control.setBalance(wallet.address, 2_000_000_000n); // 2 SOL
    const chains = (await (await fetch(`${p.url}/api/v1/chains`)).json()) as { chains: { id: string; treasury?: string }[] };
    const treasury = chains.chains.find((c) => c.id === "local-sol")!.treasury!;
    expect(treasury).toMatch(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/);
    const ledger = p.solana.node.ledger;

    await page.goto(`${p.url}/launch?chain=local-sol`);
    await signIn(page, "Test Solana Wallet");
    await page.getByLabel("Name", { exact: true }).fill("Paid Sol");
    await page.getByLabel("Symbol", { exact: true }).fill("PSOL");
    await page.getByLabel("Initial supply", { exact: true }).fill("42000");
    await page.getByTestId("wizard-next").click();
    expect(await page.getByLabel("Owner", { exact: true }).inputValue()).toBe(wallet.address);
    await page.getByTestId("wizard-next").click();

    const quote = await getQuote(page);
    expect(quote).toMatchObject({ chain: "local-sol", currency: "SOL", platformFee: "10000000" });
    expect(BigInt(quote.total)).toBe(BigInt(quote.networkFee) + BigInt(quote.platformFee));
    expect(await page.getByTestId("quote-platform-fee").textContent()).toBe("0.01 SOL");
    await screenshotBoth(page, "pay-quote-solana");

    const treasuryBefore = ledger.balance(treasury);
    const payerBefore = ledger.balance(wallet.address);
    const feePayerBefore = ledger.balance(p.solana.feePayer);
    await page.getByTestId("launch-submit").click();
    const id = await waitLaunchPage(page);
    await waitStatus(page, /Confirmed/);
    expect(wallet.signedTransactions.length).toBe(1);
    expect(reports).toHaveLength(1);
    expect(JSON.parse(reports[0]!)).toEqual({ signature: expect.stringMatching(/^[1-9A-HJ-NP-Za-km-z]{86,88}$/) });

    const view = (await (await fetch(`${p.url}/api/v1/launches/${id}`)).json()) as { status: string; address: string };
    expect(view.status).toBe("confirmed");
    expect(await page.getByTestId("token-address").textContent()).toBe(view.address);
    expect(ledger.balance(treasury)).toBe(treasuryBefore + BigInt(quote.platformFee));
    expect(ledger.balance(p.solana.feePayer)).toBe(feePayerBefore); // the platform paid nothing
    // The payer paid the fee, the network fee and the rent, and no more than quoted.
    const paid = payerBefore - ledger.balance(wallet.address);
    expect(paid).toBeGreaterThan(BigInt(quote.platformFee));
    expect(paid).toBeLessThanOrEqual(BigInt(quote.total));
    await screenshotBoth(page, "pay-confirmed-solana");
    expect(errors).toEqual([]);
  });

  it("local-eth: the fee changes on chain between quote and pay → the launch is refused (409) and the form shows a new quote at the new fee", async () => {
    const eth = p.chains.find((c) => c.id === "local-eth")!;
    const { page, errors } = await newPage(VIEWPORTS.desktop);
    const wallet = await installEvmWallet(page, { privateKey: OTHER_PAYER_KEY, rpcUrls: { [eth.chainId!]: eth.rpcUrl } });
    const launches: number[] = [];
    page.on("response", (r) => r.url().endsWith("/api/v1/launches") && r.request().method() === "POST" && launches.push(r.status()));
    await page.goto(`${p.url}/launch?chain=local-eth`);
    await signIn(page, "Test Wallet");
    await page.getByLabel("Name", { exact: true }).fill("Repriced Coin");
    await page.getByLabel("Symbol", { exact: true }).fill("REPR");
    await page.getByLabel("Initial supply", { exact: true }).fill("5000");
    const first = await getQuote(page);
    expect(first.platformFee).toBe(String(10n ** 15n));

    const newFee = 2n * 10n ** 15n;
    await setEvmFee(eth.rpcUrl, newFee);
    try {
      await p.runCron(); // the cron reads the factory's fee into chain settings
      const answer = page.waitForResponse((r) => r.url().endsWith("/api/v1/quotes") && r.request().method() === "POST");
      await page.getByTestId("launch-submit").click(); // "Pay and launch" with the old quote
      const second = (await (await answer).json()) as QuoteJson;
      expect(launches).toEqual([409]);
      expect(second.id).not.toBe(first.id);
      expect(second.platformFee).toBe(String(newFee));
      await expect.poll(() => page.getByTestId("quote-platform-fee").textContent()).toBe("0.002 ETH");
      expect(await page.getByTestId("quote-note").textContent()).toMatch(/^The quote was refused: .+ Here is a new one; check it and pay again\.$/);
      expect(await page.getByTestId("launch-submit").textContent()).toBe("Pay and launch");
      expect(new URL(page.url()).pathname).toBe("/launch"); // nothing was launched, the wallet was not asked
      expect(wallet.log.filter((r) => r.method === "eth_sendTransaction")).toEqual([]);
      await screenshotBoth(page, "pay-requote-evm");
    } finally {
      await setEvmFee(eth.rpcUrl, 10n ** 15n);
      await p.runCron();
    }
    expect(errors.filter((e) => !/409/.test(e))).toEqual([]);
  });

  it("local-eth: declined and never paid → the launch expires after its window; the page says nothing was charged and puts the launch back into the form", async () => {
    const eth = p.chains.find((c) => c.id === "local-eth")!;
    const { page, errors } = await newPage(VIEWPORTS.desktop);
    const wallet = await installEvmWallet(page, { privateKey: OTHER_PAYER_KEY, rpcUrls: { [eth.chainId!]: eth.rpcUrl } });
    await page.goto(`${p.url}/launch?chain=local-eth`);
    await signIn(page, "Test Wallet");
    await page.getByLabel("Name", { exact: true }).fill("Unpaid Coin");
    await page.getByLabel("Symbol", { exact: true }).fill("UNPD");
    await page.getByLabel("Initial supply", { exact: true }).fill("777");
    await getQuote(page);
    wallet.rejectNext("eth_sendTransaction");
    await page.getByTestId("launch-submit").click();
    const id = await waitLaunchPage(page);
    await page.getByTestId("payment-declined").waitFor({ timeout: 15_000 });

    // The window passes (anvil makes a block a second, so a block past the deadline follows); the watch expires the launch.
    const deadline = Date.now() + (WINDOW_SECONDS + 90) * 1000;
    while (Date.now() < deadline) {
      if ((await page.getByTestId("status").textContent()) === "Expired") break;
      await p.runCron(); // the sweep re-drives quiet watched launches
      await page.waitForTimeout(2_000);
    }
    await waitStatus(page, /Expired/, 5_000);
    expect(await page.getByTestId("launch-expired").textContent()).toMatch(/no payment arrived in time, so nothing was deployed and nothing was charged/);
    expect(await page.getByTestId("pay").count()).toBe(0);
    expect(await page.getByTestId("timeline").locator("li.stage-expired").count()).toBe(1);
    const view = (await (await fetch(`${p.url}/api/v1/launches/${id}`)).json()) as { status: string };
    expect(view.status).toBe("expired");
    expect(wallet.sent).toEqual([]);
    await screenshotBoth(page, "pay-expired-evm");

    await page.getByRole("button", { name: "Launch it again" }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/launch");
    expect(await page.getByLabel("Name", { exact: true }).inputValue()).toBe("Unpaid Coin");
    expect(await page.getByLabel("Initial supply", { exact: true }).inputValue()).toBe("777");
    expect(errors).toEqual([]);
  });
});
