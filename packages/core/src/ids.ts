// Time-ordered ids (like ULID): 10 chars of milliseconds then 16 random, Crockford
// base32. Sorting by id sorts by creation time, which keeps cursors simple.
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

export function newId(prefix: string, now = Date.now()): string {
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const rnd = crypto.getRandomValues(new Uint8Array(16));
  let random = "";
  for (const b of rnd) random += ALPHABET[b % 32];
  return `${prefix}_${time}${random}`;
}
