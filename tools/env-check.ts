// What each Worker's env.check.ts asks of its hand-written Env against wrangler's
// generated Cloudflare.Env (`npm run types`): the same vars and bindings, and every
// var typed as the string it is. Types only; an error in a Worker's compile names the key.

/** Declared in wrangler.toml but missing from Env. */
export type NotInEnv<Generated, Env> = Exclude<keyof Generated, keyof Env>;
/** In Env but neither declared in wrangler.toml nor a secret: a var with no declared default. */
export type NotDeclared<Generated, Env, Secrets> = Exclude<keyof Env, keyof Generated | keyof Secrets>;
type Both<Generated, Env> = keyof Generated & keyof Env;
/** A wrangler.toml var that Env types as something other than a string. */
export type NotAString<Generated, Env> = {
  [K in Both<Generated, Env>]: Generated[K] extends string
    ? NonNullable<Env[K]> extends string ? (string extends NonNullable<Env[K]> ? never : K) : K
    : never;
}[Both<Generated, Env>];
/** "none" when the set is empty, else the offending keys (so the assignment of "none" fails naming them). */
export type NoneOr<Keys> = [Keys] extends [never] ? "none" : Keys;
