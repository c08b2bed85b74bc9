// The web app: built to web/dist, which the api Worker serves as static assets
// (single-page-application fallback) on the same origin as /api/v1.
//   build: npm run build:web   (vite build --config web/vite.config.ts)
//   dev:   npx vite --config web/vite.config.ts  (proxies /api to `npm start`, port 8787 or TF_API_URL)
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import preact from "@preact/preset-vite";

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

// Content-Security-Policy for the built page only (the dev server injects inline
// scripts for hot reload). Everything else is same-origin: no CDNs, fonts or inline code.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  // Wallet icons arrive as data: URIs (EIP-6963, Wallet Standard).
  "img-src 'self' data:",
  `connect-src 'self' ${rpcOrigins().join(" ")}`,
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join("; ");

const csp = (): Plugin => ({
  name: "tokenforge-csp",
  apply: "build",
  // Right after <meta charset>: a CSP in a meta tag only covers what comes after it.
  transformIndexHtml: (html) => html.replace(/(<meta charset="utf-8" \/>)/, `$1\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`),
});

export default defineConfig({
  root,
  plugins: [preact(), csp()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // One stylesheet for the whole app (small; avoids a flash when a page chunk arrives).
    cssCodeSplit: false,
  },
  server: {
    proxy: { "/api": process.env.TF_API_URL ?? "http://127.0.0.1:8787" },
  },
});
