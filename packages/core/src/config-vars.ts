// Worker vars are strings (wrangler.toml [vars], .dev.vars, `wrangler secret put`).
// Each Worker turns its own into one typed config object at its entry with these
// zod pieces, so a typo (a non-numeric window, a negative limit) stops the Worker
// with a message naming the var instead of travelling on as NaN.
import { z } from "zod";

/** Unset and "" both mean "use the default" (a var declared empty in wrangler.toml). */
const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

/** A numeric var: a decimal string checked by `check` (any finite number by default), or `fallback` when unset. */
export const numberVar = (fallback: number, check: z.ZodNumber = z.number()) =>
  z.preprocess(blankToUndefined, z.coerce.number().pipe(check).optional()).transform((v) => v ?? fallback);

/** A "true"/"false" var; anything else is a mistake, not false. */
export const booleanVar = (fallback: boolean) =>
  z.preprocess(blankToUndefined, z.enum(["true", "false"]).optional()).transform((v) => (v === undefined ? fallback : v === "true"));

/** A comma-separated list var (blank entries dropped). */
export const listVar = () =>
  z.preprocess(blankToUndefined, z.string().optional()).transform((v) => (v ?? "").split(",").map((s) => s.trim()).filter(Boolean));

export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Parses `env` with `schema`; on a bad value throws a ConfigError naming the Worker
 * and each offending var (zod's message, never the value: a var may sit beside secrets).
 */
export function parseVars<S extends z.ZodType>(worker: string, schema: S, env: object): z.infer<S> {
  const r = schema.safeParse(env);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => `${i.path.join(".") || "(env)"}: ${i.message}`);
  throw new ConfigError(`${worker} Worker configuration is invalid (wrangler.toml [vars] / .dev.vars): ${issues.join("; ")}`);
}

/** `parse(env)` once per env object: the entry pays for it, the modules below reuse the result. */
export function parsedOncePer<T>(parse: (env: object) => T): (env: object) => T {
  const cache = new WeakMap<object, T>();
  return (env) => {
    let c = cache.get(env);
    if (c === undefined) {
      c = parse(env);
      cache.set(env, c);
    }
    return c;
  };
}

/**
 * Amounts per chain, "chain=amount,chain=amount" (decimal, the chain's smallest unit), "" for none.
 * Not JSON: .dev.vars would mangle its quotes. Shared by every Worker that reads the same caps.
 */
export const amountsPerChainVar = () =>
  listVar()
    .pipe(z.array(z.string().regex(/^[a-z0-9-]+=[0-9]{1,78}$/, "expected chain=amount pairs, comma-separated")))
    .transform((pairs) => new Map(pairs.map((p) => [p.slice(0, p.indexOf("=")), BigInt(p.slice(p.indexOf("=") + 1))])));
