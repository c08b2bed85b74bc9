// Compiled only by ./tsconfig.json, beside wrangler's generated env types
// (./worker-configuration.d.ts, `npm run types`): src/env.ts and wrangler.toml
// name the same vars and bindings, and every var is typed as the string it is.
// test/unit/worker-env-types.test.ts runs that compile; an error names the key.
import type { NoneOr, NotAString, NotDeclared, NotInEnv } from "../../tools/env-check";
import type { Env, Secrets } from "./src/env";

type Generated = Cloudflare.Env;

export const notInEnv: NoneOr<NotInEnv<Generated, Env>> = "none";
export const notDeclared: NoneOr<NotDeclared<Generated, Env, Secrets>> = "none";
export const notAString: NoneOr<NotAString<Generated, Env>> = "none";
