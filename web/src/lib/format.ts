// Number, amount, address and time formatting for display. Amounts stay BigInt
// until the last step so 78-digit supplies print exactly.

const group = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** A raw integer amount with `decimals` places, grouped: 1234500000 (6) → "1,234.5". */
export function formatUnits(raw: bigint | string, decimals: number, maxFraction = decimals): string {
  let v = typeof raw === "bigint" ? raw : BigInt(raw);
  const neg = v < 0n;
  if (neg) v = -v;
  const s = v.toString().padStart(decimals + 1, "0");
  const whole = s.slice(0, s.length - decimals);
  let frac = decimals ? s.slice(s.length - decimals, s.length - decimals + maxFraction) : "";
  frac = frac.replace(/0+$/, "");
  return (neg ? "-" : "") + group(whole) + (frac ? "." + frac : "");
}

/** A whole-token decimal string, grouped ("1000000" → "1,000,000"). */
export const formatWhole = (s: string) => (/^\d+$/.test(s) ? group(s) : s);

/** A native amount (wei / lamports) with a few significant digits: "0.00052 ETH". */
export function formatNative(raw: string | bigint, decimals: number, symbol: string): string {
  const v = typeof raw === "bigint" ? raw : BigInt(raw);
  if (v === 0n) return `0 ${symbol}`;
  const digits = v.toString().length;
  // Keep ~4 significant digits after the point, never fewer than 2 fraction digits.
  const keep = Math.max(2, decimals - digits + 4);
  const text = formatUnits(v, decimals, Math.min(decimals, keep));
  return `${text === "0" ? "< " + formatUnits(1n, decimals) : text} ${symbol}`;
}

/** Gas price in gwei with up to 3 decimals. */
export const formatGwei = (wei: string) => `${formatUnits(BigInt(wei), 9, 3)} gwei`;

export const shortAddress = (a: string) => (a.length > 14 ? `${a.slice(0, 6)}…${a.slice(-4)}` : a);

const rtf = typeof Intl !== "undefined" && "RelativeTimeFormat" in Intl ? new Intl.RelativeTimeFormat(undefined, { numeric: "auto" }) : null;

/** "3 minutes ago" (or a date for anything older than a week). */
export function timeAgo(iso: string, now = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = Math.round((t - now) / 1000);
  const abs = Math.abs(s);
  if (!rtf || abs > 7 * 86400) return new Date(t).toLocaleDateString();
  if (abs < 60) return rtf.format(s, "second");
  if (abs < 3600) return rtf.format(Math.round(s / 60), "minute");
  if (abs < 86400) return rtf.format(Math.round(s / 3600), "hour");
  return rtf.format(Math.round(s / 86400), "day");
}

export function formatTime(iso: string) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString();
}

export function formatDateTime(iso: string | number | null | undefined) {
  if (iso == null) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
}

/** Only http(s) links from the API or the chain become hrefs (never javascript: or data:). */
export function safeUrl(u: string | null | undefined): string | undefined {
  return u && /^https?:\/\//i.test(u) ? u : undefined;
}

/** ipfs:// metadata opened through a public gateway; https as is; anything else not linked. */
export function metadataHref(u: string | null | undefined): string | undefined {
  if (!u) return undefined;
  if (u.startsWith("ipfs://")) return `https://ipfs.io/ipfs/${u.slice(7).replace(/^ipfs\//, "")}`;
  return safeUrl(u);
}

/** USD for market figures: compact above 10k ("$12.3K"), significant digits for tiny prices ("$0.000123"). */
export function formatUsd(v: number | null | undefined): string {
  if (v === null || v === undefined) return "—";
  if (Math.abs(v) >= 10_000) return "$" + new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 }).format(v);
  if (Math.abs(v) >= 1) return "$" + v.toLocaleString("en-US", { maximumFractionDigits: 2 });
  return "$" + v.toPrecision(3);
}
