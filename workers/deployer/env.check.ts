// Compiled only by ./tsconfig.json, beside wrangler's generated env types
// (./worker-configuration.d.ts, `npm run types`): src/env.ts and wrangler.toml
// name the same vars and bindings, and every var is typed as the string it is.
// test/unit/worker-env-types.test.ts runs that compile; an error names the key.
import type { Env, Secrets } from "./src/env";

type Generated = Cloudflare.Env;
type Both = keyof Generated & keyof Env;

/** Declared in wrangler.toml but missing from Env. */
type NotInEnv = Exclude<keyof Generated, keyof Env>;
/** In Env but neither declared in wrangler.toml nor a secret: a var with no declared default. */
type NotDeclared = Exclude<keyof Env, keyof Generated | keyof Secrets>;
/** A wrangler.toml var that Env types as something other than a string. */
type NotAString = { [K in Both]: Generated[K] extends string ? (NonNullable<Env[K]> extends string ? (string extends NonNullable<Env[K]> ? never : K) : K) : never }[Both];

export const notInEnv: [NotInEnv] extends [never] ? "none" : NotInEnv = "none";
export const notDeclared: [NotDeclared] extends [never] ? "none" : NotDeclared = "none";
export const notAString: [NotAString] extends [never] ? "none" : NotAString = "none";
