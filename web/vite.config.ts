// The web app: built to web/dist, which the api Worker serves as static assets
// (single-page-application fallback) on the same origin as /api/v1.
//   build: npm run build:web   (vite build --config web/vite.config.ts)
//   dev:   npx vite --config web/vite.config.ts  (proxies /api to `npm start`, port 8787 or TF_API_URL)
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import preact from "@preact/preset-vite";

const root = fileURLToPath(new URL(".", import.meta.url));

// Content-Security-Policy for the built page only (the dev server injects inline
// scripts for hot reload). Everything is same-origin: no CDNs, fonts or inline code.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join("; ");

const csp = (): Plugin => ({
  name: "tokenforge-csp",
  apply: "build",
  transformIndexHtml: () => [
    { tag: "meta", attrs: { "http-equiv": "Content-Security-Policy", content: CSP }, injectTo: "head-prepend" },
  ],
});

export default defineConfig({
  root,
  plugins: [preact(), csp()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
  },
  server: {
    proxy: { "/api": process.env.TF_API_URL ?? "http://127.0.0.1:8787" },
  },
});
