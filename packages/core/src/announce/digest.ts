// When the X digest is due (pure; time is a parameter). The operator picks an
// hour (UTC); the digest of day D goes out at the first cron run at or after
// D hh:00 and covers the 24 hours before it. A run more than `graceMs` late
// (the platform was down) skips that day rather than posting old news.
const DAY_MS = 24 * 3600 * 1000;

export type DigestWindow = { day: string; from: number; to: number };

export function digestWindow(now: number, hourUtc: number, graceMs = 6 * 3600 * 1000): DigestWindow | null {
  const midnight = Math.floor(now / DAY_MS) * DAY_MS;
  let at = midnight + hourUtc * 3600 * 1000;
  if (at > now) at -= DAY_MS;
  if (now - at > graceMs) return null;
  return { day: new Date(at).toISOString().slice(0, 10), from: at - DAY_MS, to: at };
}
