// The web app in a real browser (Debian's Chromium via playwright-core) against
// the whole local platform: test wallets sign in (SIWE through an EIP-6963
// wallet, SIWS through a Wallet Standard wallet), launch through the form and
// watch the launch confirm; an API key is created and revoked; a hostile token
// name stays text; no page logs a console error. Screenshots of every page at
// 375×812 and 1280×800 go to test-results/screenshots/ (not committed).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { privateKeyToAccount } from "viem/accounts";
import { startPlatform, type Platform } from "../../tools/platform";
import {
  ANVIL_KEY_0, buildWebIfStale, collectErrors, installEvmWallet, installSolanaWallet, launchBrowser, screenshotBoth, VIEWPORTS, signIn,
} from "./browser";
import { baseLaunch, postLaunch, waitFinal } from "./client";

const HOSTILE = "<img src=x onerror=alert(1)>";
const ADMIN = privateKeyToAccount(ANVIL_KEY_0).address;

let p: Platform;
let browser: Browser;
/** Console errors per page, checked at the end of each test. */
const pageErrors = new Map<Page, string[]>();

beforeAll(async () => {
  buildWebIfStale();
  // The test wallet's account is an admin, so the ops page can be seen too.
  p = await startPlatform({ port: "auto", quiet: true, vars: { ADMIN_WALLETS: ADMIN } });
  await p.runCron(); // fee estimates for the create page
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await p?.stop();
});

async function newPage(ctx: BrowserContext) {
  const page = await ctx.newPage();
  // A loaded CI machine took over 30 s (Playwright's default) to fire "load" on /me once; what each test waits for comes after.
  page.setDefaultNavigationTimeout(60_000);
  pageErrors.set(page, collectErrors(page));
  return page;
}
const errorsOf = (page: Page) => pageErrors.get(page) ?? [];

async function waitConfirmed(page: Page) {
  // The app navigates with the History API: poll the URL rather than wait for a load.
  await expect
    .poll(() => new URL(page.url()).pathname, { timeout: 15_000, interval: 100 })
    .toMatch(/^\/launches\/lch_[0-9a-z]{26}$/)
    .catch(async (e) => {
      throw new Error(`no launch page: ${e}\n${await page.locator("main").innerText()}`);
    });
  await expect.poll(() => page.getByTestId("status").textContent(), { timeout: 90_000, interval: 250 }).toMatch(/Confirmed|Failed/);
  const status = await page.getByTestId("status").textContent();
  if (status !== "Confirmed") throw new Error(`launch failed: ${await page.getByTestId("launch-error").textContent().catch(() => "?")}`);
}

describe("the web app", () => {
  let evmCtx: BrowserContext;
  let evmPage: Page;
  let evmWallet: Awaited<ReturnType<typeof installEvmWallet>>;
  let evmToken: { chain: string; address: string; launchId: string };

  it("signs in with an EIP-6963 wallet (SIWE) and launches a token on local-eth through the form, paid from the wallet", async () => {
    evmCtx = await browser.newContext({ viewport: VIEWPORTS.desktop });
    evmPage = await newPage(evmCtx);
    const page = evmPage;
    evmWallet = await installEvmWallet(page, { rpcUrls: Object.fromEntries(p.chains.filter((c) => c.chainId).map((c) => [c.chainId!, c.rpcUrl])) });
    const streams: string[] = [];
    page.on("request", (r) => r.url().includes("/stream") && streams.push(r.url()));

    await page.goto(`${p.url}/launch`);
    await page.getByLabel("Chain").selectOption("local-eth");
    await signIn(page, "Test Wallet");
    expect(await page.getByTestId("account").textContent()).toContain(evmWallet.address.slice(0, 6));

    await page.getByLabel("Name", { exact: true }).fill("Forge Coin");
    await page.getByLabel("Symbol", { exact: true }).fill("forge"); // typed lowercase: the form uppercases it
    expect(await page.getByLabel("Symbol", { exact: true }).inputValue()).toBe("FORGE");
    await page.getByLabel("Initial supply", { exact: true }).fill("1000000");
    await page.getByLabel("Max supply (optional)").fill("500");
    // The rule shows inline as you type, before any submit.
    await expect.poll(() => page.locator("#maxSupply-error").textContent()).toBe("must be at least the initial supply");
    await page.getByLabel("Max supply (optional)").fill("2000000");
    await expect.poll(() => page.locator("#maxSupply-error").textContent()).toBe("");
    // The owner defaults to the signed-in wallet, checksummed.
    expect(await page.getByLabel("Owner", { exact: true }).inputValue()).toBe(evmWallet.address);
    await page.getByRole("checkbox", { name: /Mintable/ }).check();
    await page.getByRole("checkbox", { name: /Burnable/ }).check();
    await page.getByLabel("Metadata URI (optional)").fill("ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi");
    // Signed in, the wallet pays: the button gets a quote first (web-pay.test.ts checks the payment itself).
    await page.getByTestId("launch-submit").click();
    await expect.poll(() => page.getByTestId("quote-total").textContent().catch(() => "")).toMatch(/^0\.\d+ ETH$/);
    await screenshotBoth(page, "launch-filled");

    // A double click launches once: one Idempotency-Key per quote, and the button locks.
    const before = await myLaunchCount(page);
    await page.getByTestId("launch-submit").dblclick();
    await waitConfirmed(page);
    expect(await myLaunchCount(page)).toBe(before + 1);
    expect(evmWallet.sent).toHaveLength(1); // the wallet was asked to pay once

    expect(streams.length).toBeGreaterThan(0); // live over server-sent events
    const address = (await page.getByTestId("token-address").textContent())!;
    expect(address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(await page.getByTestId("timeline").locator("li.done").count()).toBe(2); // awaiting payment → confirmed
    evmToken = { chain: "local-eth", address, launchId: new URL(page.url()).pathname.split("/").pop()! };
    await screenshotBoth(page, "launch-status");

    await page.getByTestId("add-to-wallet").click();
    await expect.poll(() => page.getByTestId("add-to-wallet-status").textContent()).toContain("was added to Test Wallet");
    const watch = evmWallet.log.find((r) => r.method === "wallet_watchAsset");
    expect(watch?.params).toEqual({ type: "ERC20", options: { address, symbol: "FORGE", decimals: 18 } });

    // The token page reads the chain itself.
    await page.getByTestId("token-page-link").click();
    await expect.poll(() => page.getByTestId("total-supply").textContent(), { timeout: 15_000 }).toBe("1,000,000 FORGE");
    // How to read the features on chain, for developers (issue 13, item 6).
    expect(await page.getByTestId("features-bitmask").textContent()).toMatch(/features\(\).*8 permit.*DOMAIN_SEPARATOR\(\)/s);
    expect(await page.getByTestId("token-title").textContent()).toBe("Forge Coin");
    await screenshotBoth(page, "token");
    expect(errorsOf(page)).toEqual([]);
  });

  it("creates an API key on /me (shown once), uses it, and revokes it", async () => {
    const page = evmPage;
    await page.goto(`${p.url}/me`);
    await page.getByTestId("my-launches").waitFor(); // the launch of the first test is listed
    await page.getByLabel("Name", { exact: true }).fill("e2e bot");
    await page.getByTestId("create-key").click();
    const key = (await page.getByTestId("new-key-value").textContent())!;
    expect(key).toMatch(/^tf_/);
    const use = () => fetch(`${p.url}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);
    expect(await use()).toBe(200);
    await screenshotBoth(page, "me");

    const row = page.locator("tr", { hasText: "e2e bot" });
    await row.getByTestId("revoke-key").click();
    await row.getByRole("button", { name: /Confirm: revoke e2e bot/ }).click();
    await row.getByText("Revoked").waitFor();
    expect(await page.getByTestId("new-key").count()).toBe(0); // the shown key goes away with it
    expect(await use()).toBe(401);

    // A webhook: the signing secret is shown once, the hook is listed with its delivery log.
    await page.getByLabel("URL").fill("https://example.com/hooks/tokenforge");
    await page.getByRole("button", { name: "Add webhook" }).click();
    await page.getByText(/^whsec_/).waitFor();
    await page.getByRole("button", { name: "Deliveries" }).click();
    await page.getByText(/No deliveries yet|OK|no answer/).first().waitFor();
    await page.getByRole("button", { name: "Delete webhook https://example.com/hooks/tokenforge" }).click();
    await page.getByText("No webhooks yet.").waitFor();
    expect(errorsOf(page)).toEqual([]);
  });

  it("shows operators the chains and the dead-letter queue on /ops", async () => {
    const page = evmPage;
    await page.goto(`${p.url}/ops`);
    await page.getByRole("heading", { name: "Chains" }).waitFor();
    await page.getByRole("region", { name: "local-eth" }).waitFor({ timeout: 15_000 });
    await page.getByRole("heading", { name: "Dead letters" }).waitFor();
    await screenshotBoth(page, "ops");
    expect(errorsOf(page)).toEqual([]);
  });

  it("signs in with a Wallet Standard wallet (SIWS) and launches on Solana through the wizard, paid from the wallet", async (ctx) => {
    const chains = (await (await fetch(`${p.url}/api/v1/chains`)).json()) as { chains: { id: string; family: string }[] };
    const sol = chains.chains.find((c) => c.family === "solana");
    if (!sol) ctx.skip(); // runs as soon as the registry lists a Solana chain
    const c = await browser.newContext({ viewport: VIEWPORTS.phone });
    const page = await newPage(c);
    const wallet = await installSolanaWallet(page, { rpcUrl: p.chains.find((x) => x.id === sol!.id)!.rpcUrl });
    p.solana.node.control.setBalance(wallet.address, 1_000_000_000n); // the wallet pays for its launch
    await page.goto(`${p.url}/launch?chain=${sol!.id}`);
    await signIn(page, "Test Solana Wallet");
    expect(wallet.signed[0]).toMatch(/ wants you to sign in with your Solana account:\n/);

    // Step 1 of 3 on a phone.
    await page.getByLabel("Name", { exact: true }).fill("Sol Forge");
    await page.getByLabel("Symbol", { exact: true }).fill("SFORGE");
    expect(await page.getByLabel("Decimals").inputValue()).toBe("9");
    await page.getByLabel("Initial supply", { exact: true }).fill("42000");
    await page.getByTestId("wizard-next").click();
    // Step 2: the owner is the signed-in Solana account.
    expect(await page.getByLabel("Owner", { exact: true }).inputValue()).toBe(wallet.address);
    await page.getByRole("checkbox", { name: /Mintable/ }).check();
    expect(await page.getByRole("checkbox", { name: /Pausable/ }).count()).toBe(0); // EVM-only
    // SPL holders can always burn: shown on and fixed, never offered as "off".
    const burnable = page.getByRole("checkbox", { name: /Burnable/ });
    expect([await burnable.isChecked(), await burnable.isDisabled()]).toEqual([true, true]);
    await page.getByTestId("wizard-next").click();
    // Step 3: review, then launch.
    expect(await page.getByTestId("review-name").textContent()).toBe("Sol Forge");
    await screenshotBoth(page, "launch-solana-review", async () => {
      await page.getByTestId("review-name").waitFor();
    });
    await page.getByTestId("launch-submit").click(); // a quote first
    await expect.poll(() => page.getByTestId("launch-submit").textContent()).toBe("Pay and launch");
    await page.getByTestId("launch-submit").click();
    await waitConfirmed(page);
    const mint = (await page.getByTestId("token-address").textContent())!;
    expect(mint).toMatch(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/);
    await screenshotBoth(page, "launch-status-solana");
    await page.getByTestId("token-page-link").click();
    await expect.poll(() => page.getByTestId("total-supply").textContent(), { timeout: 15_000 }).toMatch(/^42,000/);
    await screenshotBoth(page, "token-solana");
    expect(errorsOf(page)).toEqual([]);
    await c.close();
  });

  it("streams a launch as server-sent events until it is final", async () => {
    const res = await postLaunch(p, baseLaunch({ name: "Streamed Coin", symbol: "STRM" }));
    const stream = await fetch(`${p.url}/api/v1/launches/${res.json.id}/stream`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const text = await stream.text(); // ends by itself once the launch is final
    const all = [...text.matchAll(/^data: (\{.*\})$/gm)].map((m) => JSON.parse(m[1]!));
    const order = ["queued", "submitted", "confirmed"];
    expect(all.map((v) => order.indexOf(v.status))).toEqual([...all.map((v) => order.indexOf(v.status))].sort());
    expect(all.at(-1)).toMatchObject({ id: res.json.id, status: "confirmed" });
    expect(all.at(-1)).toEqual(await (await fetch(`${p.url}/api/v1/launches/${res.json.id}`)).json());
    expect(text).toMatch(/event: end/);
    expect((await fetch(`${p.url}/api/v1/launches/lch_00000000000000000000000000/stream`)).status).toBe(404);
  });

  it("follows a launch by polling when the event stream is unavailable", async () => {
    const c = await browser.newContext({ viewport: VIEWPORTS.desktop });
    const page = await c.newPage();
    page.setDefaultNavigationTimeout(60_000);
    // The blocked stream is logged by Chromium as a failed load; nothing else may be.
    const errors = collectErrors(page, [/\/stream/, /net::ERR_FAILED/]);
    let streamTries = 0;
    await page.route("**/api/v1/launches/*/stream", (r) => (streamTries++, r.abort()));
    const polls: string[] = [];
    page.on("request", (r) => /\/api\/v1\/launches\/lch_[0-9a-z]+$/.test(r.url()) && polls.push(r.url()));
    const res = await postLaunch(p, baseLaunch({ name: "Polled Coin", symbol: "POLL" }));
    await page.goto(`${p.url}/launches/${res.json.id}`);
    await waitConfirmed(page);
    expect(streamTries).toBeGreaterThan(0);
    expect(polls.length).toBeGreaterThan(1);
    expect(errors).toEqual([]);
    await c.close();
  });

  it("renders a hostile token name as text, everywhere it appears", async () => {
    const res = await postLaunch(p, baseLaunch({ name: HOSTILE, symbol: "XSS" }));
    expect(res.status).toBe(202);
    const [view] = await waitFinal(p, [res.json.id], 90_000);
    expect(view.status).toBe("confirmed");
    const c = await browser.newContext({ viewport: VIEWPORTS.desktop });
    const page = await newPage(c);
    for (const path of ["/", "/tokens", `/tokens/local-eth/${view.address}`, `/launches/${view.id}`]) {
      await page.goto(`${p.url}${path}`);
      await page.getByText(HOSTILE, { exact: true }).first().waitFor({ timeout: 15_000 });
      expect(await page.locator('img[src="x"]').count()).toBe(0);
    }
    // Search finds it by name. The token list is served through KV (fresh within
    // 10 s by design), so a page loaded just before the list caught up is reloaded.
    const found = page.getByTestId("token-list").getByText(HOSTILE);
    for (let tries = 0; ; tries++) {
      await page.goto(`${p.url}/tokens?q=${encodeURIComponent("onerror")}`);
      try {
        await found.waitFor({ timeout: 6_000 });
        break;
      } catch (e) {
        if (tries >= 4) throw e;
      }
    }
    expect(errorsOf(page)).toEqual([]); // an alert() would be a "dialog" error here
    await c.close();
  });

  it("works without a wallet: says so, and browsing still works", async () => {
    const c = await browser.newContext({ viewport: VIEWPORTS.phone });
    const page = await newPage(c);
    await page.goto(`${p.url}/`);
    await page.getByTestId("sign-in").click();
    await page.getByText("No wallet found in this browser.").waitFor();
    await page.keyboard.press("Escape");
    await page.getByRole("link", { name: "Explore tokens" }).first().click();
    await page.getByTestId("token-list").waitFor();
    expect(errorsOf(page)).toEqual([]);
    await c.close();
  });

  it("is usable from the keyboard: skip link first, focus moves to each new page's heading", async () => {
    const c = await browser.newContext({ viewport: VIEWPORTS.desktop });
    const page = await newPage(c);
    await page.goto(`${p.url}/`);
    await page.getByRole("heading", { level: 1 }).waitFor();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    await page.getByRole("link", { name: "Explore", exact: true }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/tokens$/);
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName + ":" + document.activeElement?.textContent)).toBe("H1:Explore tokens");
    expect(errorsOf(page)).toEqual([]);
    await c.close();
  });

  it("every page at 375×812 and 1280×800, signed out and in, without console errors", async () => {
    const anon = await browser.newContext({ viewport: VIEWPORTS.desktop });
    const pages: [string, string, BrowserContext][] = [
      ["home", "/", anon],
      ["launch", "/launch", anon],
      ["tokens", "/tokens", anon],
      ["token-anon", `/tokens/${evmToken.chain}/${evmToken.address}`, anon],
      ["launch-status-anon", `/launches/${evmToken.launchId}`, anon],
      ["me-anon", "/me", anon],
      ["ops-anon", "/ops", anon],
      ["not-found", "/no/such/page", anon],
      ["home-signed-in", "/", evmCtx],
      ["launch-signed-in", "/launch", evmCtx],
    ];
    for (const [name, path, ctx] of pages) {
      const page = await newPage(ctx);
      await page.goto(`${p.url}${path}`, { waitUntil: "networkidle" });
      await page.getByRole("heading", { level: 1 }).first().waitFor();
      await page.waitForFunction(() => !document.querySelector("[aria-busy=true], .skeleton"), undefined, { timeout: 15_000 });
      await screenshotBoth(page, name);
      expect(errorsOf(page), name).toEqual([]);
      await page.close();
    }
    await anon.close();
  });
});

async function myLaunchCount(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let n = 0;
    let cursor: string | null = null;
    do {
      const r = await fetch(`/api/v1/me/launches?limit=100${cursor ? `&cursor=${cursor}` : ""}`);
      const body = (await r.json()) as { launches: unknown[]; nextCursor: string | null };
      n += body.launches.length;
      cursor = body.nextCursor;
    } while (cursor);
    return n;
  });
}
