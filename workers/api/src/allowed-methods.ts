// 405 instead of 404 when the path exists with other methods (RFC 9110 §15.5.6:
// a 405 carries `Allow`). Built once from the app's route table.
type Route = { method: string; path: string };

/** For a path, the methods the app answers it with (HEAD with GET, as Hono does; OPTIONS for CORS preflights); empty if none. */
export function allowedMethods(routes: readonly Route[]): (path: string) => string[] {
  let table: { method: string; re: RegExp }[] | null = null;
  return (path) => {
    // Middleware is registered as ALL or with a wildcard path: only real handlers count.
    table ??= routes.filter((r) => r.method !== "ALL" && !r.path.includes("*")).map((r) => ({ method: r.method, re: pathRegExp(r.path) }));
    const methods = new Set(table.filter((r) => r.re.test(path)).map((r) => r.method));
    if (!methods.size) return [];
    if (methods.has("GET")) methods.add("HEAD");
    methods.add("OPTIONS");
    return [...methods].sort();
  };
}

/** Hono's `/a/:id/b` as an anchored RegExp: each `:param` one path segment. */
function pathRegExp(path: string): RegExp {
  const source = path
    .split("/")
    .map((seg) => (seg.startsWith(":") ? "[^/]+" : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${source}/?$`);
}
