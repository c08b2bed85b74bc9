// Runs the fault-injecting RPC proxy by hand:
//   npx tsx tools/rpc-proxy/main.ts --upstream http://127.0.0.1:8545 --port 9545
// then switch modes with  curl -XPOST localhost:9545/__control -d '{"mode":"fail500","forMs":5000}'
import { startRpcProxy } from "./index";

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const upstream = arg("upstream") ?? "http://127.0.0.1:8545";
const proxy = await startRpcProxy({ upstream, port: Number(arg("port") ?? 0) || undefined });
console.log(`rpc-proxy: ${proxy.url} → ${upstream} (POST ${proxy.url}/__control {"mode":…})`);
const stop = () => void proxy.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
