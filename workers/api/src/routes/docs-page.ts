// The interactive API docs (GET /api/v1/docs): a small hand-written page that
// reads /api/v1/openapi.json, lists every operation with its parameters, body
// and responses, and lets you send requests from the browser. Self-contained
// (no CDN: the site works offline) and CSP-clean (no inline script or style):
// the script and stylesheet are served beside the page.

export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>TokenForge API</title>
<link rel="stylesheet" href="/api/v1/docs/docs.css">
<script type="module" src="/api/v1/docs/docs.js"></script>
</head>
<body>
<header>
  <h1>TokenForge API <small id="version"></small></h1>
  <p id="description"></p>
  <label>Authorization <input id="auth" placeholder="Bearer tf_… (or leave empty to use your session cookie)" autocomplete="off" spellcheck="false"></label>
  <p class="hint">Spec: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a></p>
</header>
<nav id="nav"></nav>
<main id="ops"><p>Loading the OpenAPI document…</p></main>
</body>
</html>
`;

export const DOCS_CSS = `
:root { font-family: system-ui, sans-serif; color: #1d2330; background: #f7f8fa; }
body { margin: 0; display: grid; grid-template-columns: 260px 1fr; grid-template-rows: auto 1fr; min-height: 100vh; }
header { grid-column: 1 / 3; padding: 1rem 1.5rem; background: #14181f; color: #eef; }
header h1 { margin: 0 0 .3rem; font-size: 1.4rem; } header small { color: #9ab; font-weight: normal; }
header a { color: #9cf; } header label { display: block; margin-top: .5rem; }
header input { width: min(40rem, 90%); font-family: ui-monospace, monospace; padding: .3rem; }
.hint { color: #9ab; margin: .4rem 0 0; font-size: .85rem; }
nav { padding: 1rem; border-right: 1px solid #dde; overflow: auto; font-size: .9rem; }
nav h3 { margin: 1rem 0 .3rem; text-transform: uppercase; font-size: .75rem; color: #667; }
nav a { display: block; padding: .15rem 0; color: #234; text-decoration: none; }
main { padding: 1rem 1.5rem; overflow: auto; }
section.op { background: #fff; border: 1px solid #dde; border-radius: 6px; margin: 0 0 1rem; padding: .8rem 1rem; }
.method { display: inline-block; min-width: 4rem; font-weight: bold; font-family: ui-monospace, monospace; }
.get { color: #0a6; } .post { color: #06c; } .delete { color: #c30; }
code, pre, textarea, .path { font-family: ui-monospace, monospace; }
pre { background: #f1f3f6; padding: .5rem; overflow: auto; max-height: 24rem; font-size: .8rem; }
textarea { width: 100%; min-height: 8rem; font-size: .8rem; }
table { border-collapse: collapse; font-size: .85rem; } td, th { border: 1px solid #dde; padding: .2rem .5rem; text-align: left; }
button { padding: .3rem .9rem; cursor: pointer; }
.status { font-weight: bold; } .muted { color: #667; font-size: .85rem; }
`;

export const DOCS_JS = `
const $ = (tag, attrs = {}, ...children) => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") el.className = v; else if (k.startsWith("on")) el.addEventListener(k.slice(2), v); else el.setAttribute(k, v);
  }
  for (const ch of children.flat()) if (ch !== null && ch !== undefined) el.append(ch instanceof Node ? ch : String(ch));
  return el;
};

let spec;
const resolve = (s) => {
  let seen = 0;
  while (s && s.$ref && seen++ < 20) s = s.$ref.split("/").slice(1).reduce((o, k) => o && o[k], spec);
  return s || {};
};

function example(schema, depth = 0) {
  const s = resolve(schema);
  if (depth > 6) return null;
  if (s.example !== undefined) return s.example;
  if (s.default !== undefined) return s.default;
  if (s.enum) return s.enum[0];
  if (s.const !== undefined) return s.const;
  const alt = s.anyOf || s.oneOf;
  if (alt) return example(alt.find((x) => resolve(x).type !== "null") || alt[0], depth + 1);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
  if (type === "object" || s.properties) {
    const out = {};
    const required = new Set(s.required || []);
    for (const [k, v] of Object.entries(s.properties || {})) if (required.has(k) || depth === 0) out[k] = example(v, depth + 1);
    return out;
  }
  if (type === "array") return [example(s.items || {}, depth + 1)];
  if (type === "integer" || type === "number") return s.minimum ?? 0;
  if (type === "boolean") return false;
  return "string";
}

function paramsTable(params) {
  if (!params.length) return null;
  return $("table", {}, $("tr", {}, $("th", {}, "name"), $("th", {}, "in"), $("th", {}, "required"), $("th", {}, "description")),
    params.map((p) => $("tr", {}, $("td", {}, $("code", {}, p.name)), $("td", {}, p.in), $("td", {}, p.required ? "yes" : ""), $("td", {}, p.description || (p.schema && resolve(p.schema).description) || ""))));
}

function operation(path, method, op) {
  const params = (op.parameters || []).map((p) => resolve(p));
  const inputs = {};
  const form = params.filter((p) => p.in === "path" || p.in === "query" || p.in === "header").map((p) => {
    inputs[p.name] = $("input", { placeholder: p.in + (p.required ? " (required)" : ""), "data-in": p.in });
    return $("label", {}, $("code", {}, p.name), " ", inputs[p.name], " ");
  });
  const bodySchema = op.requestBody && op.requestBody.content && op.requestBody.content["application/json"];
  const body = bodySchema ? $("textarea", { spellcheck: "false" }) : null;
  if (body) body.value = JSON.stringify(example(bodySchema.schema), null, 2);
  const out = $("div");
  const send = async () => {
    let url = path;
    const query = new URLSearchParams();
    const headers = {};
    for (const p of params) {
      const v = inputs[p.name] && inputs[p.name].value;
      if (!v) continue;
      if (p.in === "path") url = url.replace("{" + p.name + "}", encodeURIComponent(v));
      else if (p.in === "query") query.set(p.name, v);
      else headers[p.name] = v;
    }
    const auth = document.getElementById("auth").value.trim();
    if (auth) headers.authorization = auth.toLowerCase().startsWith("bearer ") ? auth : "Bearer " + auth;
    if (body) headers["content-type"] = "application/json";
    const started = performance.now();
    out.replaceChildren($("p", { class: "muted" }, "sending…"));
    try {
      const res = await fetch(url + (query.size ? "?" + query : ""), { method: method.toUpperCase(), headers, body: body ? body.value : undefined, credentials: "same-origin" });
      const text = await res.text();
      let pretty = text;
      try { pretty = JSON.stringify(JSON.parse(text), null, 2); } catch {}
      const shown = ["content-type", "location", "ratelimit", "ratelimit-policy", "retry-after"].filter((h) => res.headers.get(h)).map((h) => h + ": " + res.headers.get(h)).join("\\n");
      out.replaceChildren($("p", {}, $("span", { class: "status" }, res.status + " " + res.statusText), $("span", { class: "muted" }, " in " + Math.round(performance.now() - started) + " ms")), $("pre", {}, shown), $("pre", {}, pretty));
    } catch (e) {
      out.replaceChildren($("p", { class: "status" }, String(e)));
    }
  };
  const responses = Object.entries(op.responses || {}).map(([code, r]) => $("li", {}, $("code", {}, code), " ", resolve(r).description || ""));
  const id = (op.operationId || method + path).replace(/[^a-zA-Z0-9_-]/g, "_");
  return $("section", { class: "op", id },
    $("h2", {}, $("span", { class: "method " + method }, method.toUpperCase()), $("span", { class: "path" }, path)),
    $("p", {}, op.summary || ""), op.description ? $("p", { class: "muted" }, op.description) : null,
    op.security && op.security.length ? $("p", { class: "muted" }, "Auth: " + op.security.map((s) => Object.keys(s).join("+")).join(" or ")) : null,
    paramsTable(params), form.length ? $("p", {}, form) : null,
    body ? $("details", {}, $("summary", {}, "Request body schema"), $("pre", {}, JSON.stringify(resolve(bodySchema.schema), null, 2))) : null,
    body, $("ul", {}, responses), $("button", { onclick: send }, "Send"), out);
}

async function main() {
  spec = await (await fetch("/api/v1/openapi.json")).json();
  document.getElementById("version").textContent = "v" + spec.info.version + " · OpenAPI " + spec.openapi;
  document.getElementById("description").textContent = spec.info.description || "";
  const byTag = new Map();
  for (const [path, item] of Object.entries(spec.paths || {})) {
    for (const method of ["get", "post", "put", "patch", "delete"]) {
      const op = item[method];
      if (!op) continue;
      const tag = (op.tags && op.tags[0]) || "other";
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push([path, method, op]);
    }
  }
  const nav = document.getElementById("nav");
  const ops = document.getElementById("ops");
  ops.replaceChildren();
  for (const [tag, list] of byTag) {
    nav.append($("h3", {}, tag));
    ops.append($("h2", {}, tag));
    for (const [path, method, op] of list) {
      const sec = operation(path, method, op);
      nav.append($("a", { href: "#" + sec.id }, method.toUpperCase() + " " + path));
      ops.append(sec);
    }
  }
}
main().catch((e) => { document.getElementById("ops").textContent = "Could not load the OpenAPI document: " + e; });
`;
