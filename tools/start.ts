// `npm start`: the whole platform on this machine, offline. State is reset on
// every start (the anvil chains are fresh, so D1 starts fresh with them).
import { startPlatform } from "./platform";

const port = Number(process.env.PORT ?? 8787);
console.log("starting TokenForge locally (anvil ×2, D1 migrations, Workers under workerd)…");
const platform = await startPlatform({
  port,
  syntheticMarket: true,
  onLog: (line) => {
    if (process.env.TF_QUIET_WORKERS !== "1") console.log(`[workers] ${line}`);
  },
});

console.log(`
TokenForge is running
  web app + API   ${platform.url}            (API under ${platform.url}/api/v1)
  health          ${platform.url}/api/v1/health
  market stand-in ${platform.market.url}  (CoinGecko /api/v3, GeckoTerminal /api/v2: every token gets a pool whose price moves)
${platform.chains.map((c) => `  chain ${c.id.padEnd(9)} ${c.rpcUrl}  (${c.chainId ? `chain id ${c.chainId}` : c.family})`).join("\n")}
  deployer        ${platform.deployer} (funded on every local EVM chain)
  solana payer    ${platform.solana.feePayer} (1000 SOL on local-sol)
dev user credits (usr_dev, for platform-paid launches; GET /api/v1/credits):
${Object.entries(platform.devCredits).map(([chain, amount]) => `  ${chain.padEnd(9)} ${amount} (smallest unit)`).join("\n")}
  social stand-ins ${platform.social.url}  (Discord, Telegram, X; what they received: GET /__received)
dev API key: ${platform.apiKey}
admin token: ${platform.adminToken}

Try:
  curl -s ${platform.url}/api/v1/launches -H "authorization: Bearer ${platform.apiKey}" -H "content-type: application/json" \\
    -d '{"chain":"local-eth","name":"Forge Coin","symbol":"FORGE","decimals":18,"initialSupply":"1000000","owner":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8"}'

Ctrl-C stops everything.`);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the Workers and the chains…`);
  await platform.stop();
  process.exit(0);
};
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
