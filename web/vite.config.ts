// The web app: built to web/dist, which the api Worker serves as static assets
// (single-page-application fallback) on the same origin as /api/v1.
//   build: npm run build:web   (vite build --config web/vite.config.ts)
//   dev:   npx vite --config web/vite.config.ts  (proxies /api to `npm start`, port 8787 or TF_API_URL)
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import preact from "@preact/preset-vite";
import { headersFile, securityHeaders } from "./src/security-headers.ts";

const root = fileURLToPath(new URL(".", import.meta.url));
const registryDir = fileURLToPath(new URL("../packages/core/src/chains/", import.meta.url));

/**
 * The token page reads chains directly through their public RPC URLs, so the
 * CSP's connect-src lists exactly those origins, taken from the chain
 * registries (every environment's: one build serves any of them). A port given
 * as ${VAR:-default} (local platforms side by side) becomes a port wildcard.
 */
function rpcOrigins(): string[] {
  const origins = new Set<string>();
  for (const file of readdirSync(registryDir).filter((f) => f.endsWith(".json"))) {
    const { chains } = JSON.parse(readFileSync(registryDir + file, "utf8")) as { chains: { publicRpcUrl?: string }[] };
    for (const c of chains) {
      if (!c.publicRpcUrl) continue;
      const anyPort = /:\$\{[^}]*\}/.test(c.publicRpcUrl);
      const u = new URL(c.publicRpcUrl.replace(/\$\{[A-Z0-9_]+(?::-([^}]*))?\}/g, (_, d?: string) => d ?? "0"));
      origins.add(anyPort ? `${u.protocol}//${u.hostname}:*` : u.origin);
    }
  }
  return [...origins].sort();
}

// Security headers (CSP, nosniff, frame-ancestors, HSTS, …) from one source for
// both: the build writes them to dist/_headers, which Workers Static Assets
// applies to every asset and the SPA fallback without running the Worker; the dev
// server sends the same set (its CSP allows the inline code hot reload injects).
const origins = rpcOrigins();

const headers = (): Plugin => ({
  name: "tokenforge-headers",
  apply: "build",
  generateBundle() {
    this.emitFile({ type: "asset", fileName: "_headers", source: headersFile(securityHeaders({ rpcOrigins: origins })) });
  },
});

export default defineConfig({
  root,
  plugins: [preact(), headers()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // One stylesheet for the whole app (small; avoids a flash when a page chunk arrives).
    cssCodeSplit: false,
  },
  server: {
    headers: securityHeaders({ rpcOrigins: origins, dev: true }),
    proxy: { "/api": process.env.TF_API_URL ?? "http://127.0.0.1:8787" },
  },
});
