// API key scopes: what a key may do. A session (wallet sign-in) may do all of it.
// In core because the api_keys row stores them (db/schema.ts types its column with them).
import { z } from "zod";

export const SCOPES = ["launches:read", "launches:write", "webhooks:manage"] as const;
export const Scope = z.enum(SCOPES);
export type Scope = z.infer<typeof Scope>;
