// Where a webhook may point (SSRF guard). A webhook URL is chosen by a user and
// fetched by us, so it must not reach our internals: only https, no credentials
// in the URL, no IP literals (in any spelling: WHATWG URL parsing turns
// decimal/hex/octal/short IPv4 forms into dotted quads, which are then refused),
// no loopback, private (RFC 1918), CGNAT (RFC 6598), link-local, unique-local
// (fc00::/7), metadata (169.254.169.254, metadata.google.internal) or
// internal-only names, judged after every trailing dot is stripped and the host
// parsed again (so "127.0.0.1..", "localhost.." and "0x7f000001." are caught).
// Names are judged by their text only: a public name may still resolve to a
// private address, and since Workers `fetch` resolves the name itself at
// delivery, DNS rebinding cannot be fully stopped here (a DNS-over-HTTPS check
// before delivery would only narrow the window). ALLOW_PRIVATE_WEBHOOKS=true (local dev) lifts all but the
// scheme and credentials checks, so a test can target a server on 127.0.0.1.
// Deliveries never follow redirects (deliver.ts), so a public URL cannot bounce
// to a private one.

export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

const INTERNAL_NAMES = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|localdomain|corp)$/i;
const METADATA_NAMES = new Set(["metadata.google.internal", "metadata", "instance-data", "metadata.azure.com"]);

export function checkWebhookUrl(raw: string, allowPrivate: boolean): UrlVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "is not a valid URL" };
  }
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) {
    return { ok: false, reason: allowPrivate ? "must be http:// or https://" : "must be https://" };
  }
  if (url.username || url.password) return { ok: false, reason: "must not contain credentials" };
  if (url.hash) url.hash = "";
  if (allowPrivate) return { ok: true, url };

  // The URL parser already mapped IDNA (full-width letters, ideographic dots) and
  // numeric IPv4 spellings. Trailing dots (any number: "127.0.0.1..") are the same
  // host to a resolver but hide an IP literal from the parser, so strip them all
  // and parse the host again, then judge (and store) that one form.
  const stripped = url.hostname.toLowerCase().replace(/\.+$/, "");
  if (!stripped) return { ok: false, reason: "has no host" };
  let host: string;
  try {
    host = new URL(`https://${stripped}/`).hostname;
  } catch {
    return { ok: false, reason: "is not a valid URL" };
  }
  if (host !== url.hostname) url.hostname = host;
  if (!host || host.endsWith(".")) return { ok: false, reason: "has no host" };
  if (host.startsWith("[")) {
    const why = ipv6Problem(host.slice(1, -1));
    return { ok: false, reason: `must use a host name, not an IP address${why ? ` (${why})` : ""}` };
  }
  const v4 = parseIpv4(host);
  if (v4 !== null) {
    const why = ipv4Problem(v4);
    return { ok: false, reason: `must use a host name, not an IP address${why ? ` (${why})` : ""}` };
  }
  // A name whose last label is numeric would be read as an IPv4 address by some resolvers.
  if (/^(0x[0-9a-f]*|[0-9]+)$/i.test(host.split(".").pop() ?? "")) return { ok: false, reason: "must use a host name, not an IP address" };
  if (METADATA_NAMES.has(host)) return { ok: false, reason: "must not point at a cloud metadata service" };
  if (!host.includes(".") || INTERNAL_NAMES.test(host)) return { ok: false, reason: "must be a public host name" };
  return { ok: true, url };
}

/** A dotted-quad IPv4 (what the URL parser leaves) as a 32-bit number, else null. */
export function parseIpv4(host: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

const inV4 = (ip: number, base: string, bits: number) => {
  const b = parseIpv4(base)!;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return ((ip & mask) >>> 0) === ((b & mask) >>> 0);
};

/** Why an IPv4 address is not public (null when it is). */
export function ipv4Problem(ip: number): string | null {
  if (inV4(ip, "169.254.169.254", 32)) return "cloud metadata";
  if (inV4(ip, "127.0.0.0", 8)) return "loopback";
  if (inV4(ip, "10.0.0.0", 8) || inV4(ip, "172.16.0.0", 12) || inV4(ip, "192.168.0.0", 16)) return "private (RFC 1918)";
  if (inV4(ip, "100.64.0.0", 10)) return "CGNAT (RFC 6598)";
  if (inV4(ip, "169.254.0.0", 16)) return "link-local";
  if (inV4(ip, "0.0.0.0", 8)) return "this network";
  if (inV4(ip, "192.0.0.0", 24) || inV4(ip, "192.0.2.0", 24) || inV4(ip, "198.18.0.0", 15) || inV4(ip, "198.51.100.0", 24) || inV4(ip, "203.0.113.0", 24)) {
    return "reserved";
  }
  if (inV4(ip, "224.0.0.0", 4) || inV4(ip, "240.0.0.0", 4)) return "multicast or reserved";
  return null;
}

/** Why an IPv6 address is not public (null when it is); embedded IPv4 is checked too. */
export function ipv6Problem(addr: string): string | null {
  const groups = expandIpv6(addr);
  if (!groups) return "not a valid IPv6 address";
  if (groups.every((g) => g === 0)) return "unspecified";
  if (groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1) return "loopback";
  const first = groups[0]!;
  if ((first & 0xfe00) === 0xfc00) return "unique-local (fc00::/7)";
  if ((first & 0xffc0) === 0xfe80) return "link-local";
  if ((first & 0xff00) === 0xff00) return "multicast";
  if (first === 0xfd00 && groups[1] === 0xec2) return "cloud metadata";
  const v4 = (hi: number, lo: number) => ((hi << 16) >>> 0) + lo;
  // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible), 64:ff9b::a.b.c.d (NAT64)
  if (groups.slice(0, 5).every((g) => g === 0) && (groups[5] === 0xffff || groups[5] === 0)) return ipv4Problem(v4(groups[6]!, groups[7]!)) ?? "IPv4-mapped";
  if (first === 0x64 && groups[1] === 0xff9b) return ipv4Problem(v4(groups[6]!, groups[7]!)) ?? "NAT64";
  if (first === 0x2002) return ipv4Problem(v4(groups[1]!, groups[2]!)) ?? "6to4";
  return null;
}

function expandIpv6(addr: string): number[] | null {
  let s = addr.replace(/%.*$/, "");
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (tail) {
    const n = parseIpv4(tail[1]!);
    if (n === null) return null;
    s = s.slice(0, -tail[1]!.length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const parse = (p: string) => (p === "" ? [] : p.split(":").map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN)));
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  if ([...head, ...rest].some(Number.isNaN)) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const fill = 8 - head.length - rest.length;
  if (fill < 1) return null;
  return [...head, ...Array(fill).fill(0), ...rest];
}
