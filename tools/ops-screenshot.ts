// The Ops page after a burst of launches, as a screenshot (issue 21): starts the
// platform, sends N launches (default 200) across the local chains, waits until
// they are final, runs the cron (metrics, alerts) and photographs /ops at
// desktop size into test-results/screenshots/ops-after-burst.png.
//   npx tsx tools/ops-screenshot.ts [count]
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { ROOT, startPlatform } from "./platform";

const COUNT = Number(process.argv[2] ?? 200);
const OWNER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

const p = await startPlatform({ port: "auto", quiet: true, cronIntervalMs: 20_000 });
try {
  const started = Date.now();
  const ids: string[] = [];
  for (let i = 0; i < COUNT; i += 20) {
    const batch = await Promise.all(Array.from({ length: Math.min(20, COUNT - i) }, async (_, j) => {
      const chain = (i + j) % 4 === 3 ? "local-bsc" : "local-eth";
      const res = await fetch(`${p.url}/api/v1/launches`, {
        method: "POST",
        headers: { authorization: `Bearer ${p.apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ chain, name: `Burst ${i + j}`, symbol: `B${i + j}`, decimals: 18, initialSupply: "1000", owner: OWNER }),
      });
      return ((await res.json()) as { id: string }).id;
    }));
    ids.push(...batch);
  }
  console.log(`accepted ${ids.length} launches in ${Date.now() - started} ms`);
  for (;;) {
    const views = await Promise.all(ids.map((id) => fetch(`${p.url}/api/v1/launches/${id}`).then((r) => r.json() as Promise<{ status: string }>)));
    const pending = views.filter((v) => v.status !== "confirmed" && v.status !== "failed").length;
    if (!pending) break;
    if (Date.now() - started > 300_000) throw new Error(`${pending} launches not final after 5 min`);
    await new Promise((r) => setTimeout(r, 2_000));
  }
  console.log(`all final after ${Date.now() - started} ms`);
  await p.runCron();
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"], headless: true });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(p.url + "/");
  await page.evaluate((t) => sessionStorage.setItem("tokenforge.adminToken", t), p.adminToken);
  await page.goto(p.url + "/ops");
  await page.waitForSelector(".ops-chart canvas", { timeout: 30_000 });
  await page.waitForTimeout(1_000);
  const dir = join(ROOT, "test-results/screenshots");
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, "ops-after-burst.png"), fullPage: true });
  console.log(`screenshot: ${join(dir, "ops-after-burst.png")}`);
  const metrics = await (await fetch(`${p.url}/api/v1/metrics`, { headers: { authorization: `Bearer ${p.adminToken}` } })).text();
  console.log(metrics.split("\n").filter((l) => /^tf_(launches_total|confirm_seconds_(count|sum)|confirm_seconds_bucket\{le="(2|5|10)"\})/.test(l)).join("\n"));
  await browser.close();
} finally {
  await p.stop();
}
