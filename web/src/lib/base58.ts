// Base58 is core's (a standalone module: no zod or viem in the bundle). The web
// modules import it from core directly, so the bundle holds one chunk of it;
// this re-export is what test/e2e/web-rules.test.ts round-trips.
export { base58Decode, base58Encode } from "@tokenforge/core/auth/base58";
