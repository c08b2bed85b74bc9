// Uploaded logos: the type sniffed from the bytes, the dimensions read from the
// headers and bounded, the structure walked end to end, and metadata (EXIF, XMP,
// text chunks, comments) dropped before anything is stored or pinned: public IPFS
// is permanent, so a phone photo's GPS position must never reach it.
//
// Why hand-written parsers: no image library runs cheaply in a Worker (sharp and
// libvips are native; WASM decoders cost megabytes and CPU-seconds per image), and
// none is needed: every check here reads headers and chunk/segment/block framing,
// never pixels. Pixels are never decoded, so a decompression bomb (a small file
// that claims huge dimensions) is refused by its claimed width × height instead.
//
// Pure: bytes in, a verdict (and the bytes to store) out.

export const IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif"] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

export type ImageLimits = { maxBytes: number; maxWidth: number; maxHeight: number; maxPixels: number; maxFrames: number };

/** Logos: 1 MB, at most 4096 px a side and 4 Mpx (2048 × 2048), at most 300 animation frames. */
export const LOGO_LIMITS: ImageLimits = { maxBytes: 1_000_000, maxWidth: 4096, maxHeight: 4096, maxPixels: 2048 * 2048, maxFrames: 300 };

export type ImageRejection = {
  ok: false;
  /** unsupported: not one of the four formats (SVG, HTML, …); invalid: broken or truncated structure; dimensions: over a bound; too-large: over maxBytes. */
  reason: "unsupported" | "invalid" | "dimensions" | "too-large";
  detail: string;
};
export type InspectedImage = { ok: true; type: ImageType; width: number; height: number; bytes: Uint8Array; stripped: string[] };

class Invalid extends Error {}
const fail = (detail: string): never => {
  throw new Invalid(detail);
};

/** Sniff, validate, bound and strip an image. `bytes` is never modified. */
export function inspectImage(bytes: Uint8Array, limits: ImageLimits = LOGO_LIMITS): InspectedImage | ImageRejection {
  if (bytes.length > limits.maxBytes) return { ok: false, reason: "too-large", detail: `the image is ${bytes.length} bytes; at most ${limits.maxBytes}` };
  const type = sniffImageType(bytes);
  if (!type) return { ok: false, reason: "unsupported", detail: "not a PNG, JPEG, WebP or GIF image (judged by its bytes; SVG is not accepted)" };
  let parsed: Parsed;
  try {
    parsed = PARSERS[type](bytes, limits);
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, reason: "invalid", detail: `${type}: ${e.message}` };
    throw e;
  }
  const { width, height } = parsed;
  const bound = checkDimensions(width, height, limits);
  if (bound) return { ok: false, reason: "dimensions", detail: bound };
  if (parsed.frames > limits.maxFrames) return { ok: false, reason: "dimensions", detail: `${parsed.frames} frames; at most ${limits.maxFrames}` };
  return { ok: true, type, width, height, bytes: parsed.bytes, stripped: parsed.stripped };
}

function checkDimensions(width: number, height: number, l: ImageLimits): string | null {
  if (width < 1 || height < 1) return `${width}×${height}: an image needs at least one pixel a side`;
  if (width > l.maxWidth || height > l.maxHeight) return `${width}×${height}: at most ${l.maxWidth}×${l.maxHeight}`;
  if (width * height > l.maxPixels) return `${width}×${height} is ${width * height} pixels; at most ${l.maxPixels}`;
  return null;
}

/** The format by its magic bytes, or null. */
export function sniffImageType(b: Uint8Array): ImageType | null {
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(b, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(b, ascii("RIFF")) && startsWith(b.subarray(8), ascii("WEBP"))) return "image/webp";
  if (startsWith(b, ascii("GIF87a")) || startsWith(b, ascii("GIF89a"))) return "image/gif";
  return null;
}

type Parsed = { width: number; height: number; frames: number; bytes: Uint8Array; stripped: string[] };
const PARSERS: Record<ImageType, (b: Uint8Array, l: ImageLimits) => Parsed> = { "image/png": parsePng, "image/jpeg": parseJpeg, "image/webp": parseWebp, "image/gif": parseGif };

// ── PNG (ISO/IEC 15948; APNG) ────────────────────────────────────────────────
// Text and EXIF chunks carry metadata; every other chunk is kept verbatim (their
// CRCs stay valid). Bytes after IEND are dropped.
const PNG_DROP = new Set(["tEXt", "iTXt", "zTXt", "eXIf", "tIME"]);

function parsePng(b: Uint8Array): Parsed {
  const out: Uint8Array[] = [b.subarray(0, 8)];
  const stripped: string[] = [];
  let pos = 8;
  let width = 0, height = 0, frames = 1, sawIdat = false, sawEnd = false;
  while (!sawEnd) {
    if (pos + 12 > b.length) fail("truncated: the chunks end before IEND");
    const len = u32be(b, pos);
    const type = latin1(b.subarray(pos + 4, pos + 8));
    if (!/^[A-Za-z]{4}$/.test(type)) fail(`bad chunk type at byte ${pos}`);
    const end = pos + 12 + len;
    if (len > 0x7fffffff || end > b.length) fail(`truncated: chunk ${type} runs past the end`);
    if (crc32(b.subarray(pos + 4, pos + 8 + len)) !== u32be(b, pos + 8 + len)) fail(`chunk ${type} fails its CRC`);
    if (pos === 8) {
      if (type !== "IHDR" || len !== 13) fail("the first chunk must be IHDR");
      width = u32be(b, pos + 8);
      height = u32be(b, pos + 12);
    } else if (type === "IHDR") fail("a second IHDR");
    if (type === "IDAT") sawIdat = true;
    if (type === "acTL" && len >= 8) frames = u32be(b, pos + 8);
    if (type === "IEND") sawEnd = true;
    if (PNG_DROP.has(type)) stripped.push(type);
    else out.push(b.subarray(pos, end));
    pos = end;
  }
  if (!sawIdat) fail("no image data (IDAT)");
  return { width, height, frames, bytes: concat(out), stripped };
}

// ── JPEG (ITU T.81, JFIF, Adobe APP14) ───────────────────────────────────────
// APP0 JFIF and APP14 Adobe say how to decode the colours; every other APPn (EXIF
// with GPS, XMP, ICC, maker notes) and COM are dropped. Bytes after EOI are dropped.
function parseJpeg(b: Uint8Array): Parsed {
  const out: Uint8Array[] = [b.subarray(0, 2)];
  const stripped: string[] = [];
  let pos = 2;
  let width = 0, height = 0, frames = 0, sawSos = false;
  for (;;) {
    if (pos + 2 > b.length) fail("truncated: no end-of-image marker");
    if (b[pos] !== 0xff) fail(`expected a marker at byte ${pos}`);
    const marker = b[pos + 1]!;
    if (marker === 0xff) { pos += 1; continue; } // fill bytes before a marker
    if (marker === 0xd9) {
      if (!sawSos) fail("no scan before the end-of-image marker");
      out.push(b.subarray(pos, pos + 2));
      break;
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01 || marker === 0xd8) fail(`unexpected marker 0xFF${hex(marker)}`);
    if (pos + 4 > b.length) fail("truncated segment");
    const len = (b[pos + 2]! << 8) | b[pos + 3]!;
    const end = pos + 2 + len;
    if (len < 2 || end > b.length) fail(`truncated: segment 0xFF${hex(marker)} runs past the end`);
    const body = b.subarray(pos + 4, end);
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (body.length < 6) fail("short frame header");
      height = (body[1]! << 8) | body[2]!;
      width = (body[3]! << 8) | body[4]!;
      frames += 1;
      if (frames > 1) fail("more than one frame header");
    }
    const keep = marker >= 0xe0 && marker <= 0xef
      ? (marker === 0xe0 && startsWith(body, ascii("JFIF\0"))) || (marker === 0xee && startsWith(body, ascii("Adobe")))
      : marker !== 0xfe;
    if (keep) out.push(b.subarray(pos, end));
    else stripped.push(marker === 0xfe ? "COM" : `APP${marker - 0xe0}`);
    pos = end;
    if (marker === 0xda) {
      if (!frames) fail("a scan before the frame header");
      sawSos = true;
      // Entropy-coded data runs to the next marker that is neither a stuffed 0xFF00 nor a restart marker.
      const start = pos;
      while (pos + 1 < b.length && !(b[pos] === 0xff && b[pos + 1] !== 0x00 && !(b[pos + 1]! >= 0xd0 && b[pos + 1]! <= 0xd7))) pos += 1;
      if (pos + 1 >= b.length) fail("truncated: the scan data has no end");
      out.push(b.subarray(start, pos));
    }
  }
  if (!frames) fail("no frame header (SOF)");
  return { width, height, frames: 1, bytes: concat(out), stripped };
}

// ── WebP (RIFF container; RFC 9649) ──────────────────────────────────────────
// EXIF and XMP chunks are dropped and their VP8X flags cleared; the RIFF size is rewritten.
function parseWebp(b: Uint8Array): Parsed {
  const riffSize = u32le(b, 4);
  if (riffSize + 8 !== b.length) fail(riffSize + 8 > b.length ? "truncated: shorter than its RIFF size" : "bytes after the RIFF container");
  const chunks: { type: string; start: number; end: number }[] = [];
  let pos = 12;
  while (pos < b.length) {
    if (pos + 8 > b.length) fail("truncated chunk header");
    const type = latin1(b.subarray(pos, pos + 4));
    const size = u32le(b, pos + 4);
    const end = pos + 8 + size + (size & 1);
    if (end > b.length) fail(`truncated: chunk ${type.trim()} runs past the end`);
    chunks.push({ type, start: pos, end });
    pos = end;
  }
  const first = chunks[0] ?? fail("no chunks");
  let width: number, height: number, frames = 1;
  const data = (c: { start: number }) => b.subarray(c.start + 8);
  if (first.type === "VP8 ") [width, height] = vp8Size(data(first));
  else if (first.type === "VP8L") [width, height] = vp8lSize(data(first));
  else if (first.type === "VP8X") {
    const d = data(first);
    if (first.end - first.start < 18) fail("short VP8X chunk");
    width = 1 + (d[4]! | (d[5]! << 8) | (d[6]! << 16));
    height = 1 + (d[7]! | (d[8]! << 8) | (d[9]! << 16));
    frames = Math.max(1, chunks.filter((c) => c.type === "ANMF").length);
    const image = chunks.find((c) => c.type === "VP8 " || c.type === "VP8L");
    if (image) {
      const [w, h] = image.type === "VP8 " ? vp8Size(data(image)) : vp8lSize(data(image));
      if (w > width || h > height) fail("the bitstream is larger than the canvas");
    } else if (frames === 1 && !chunks.some((c) => c.type === "ANMF")) fail("no image data");
  } else return fail(`unexpected first chunk ${first.type.trim()}`);
  const stripped: string[] = [];
  const kept: Uint8Array[] = [];
  for (const c of chunks) {
    if (c.type === "EXIF" || c.type === "XMP ") stripped.push(c.type.trim());
    else kept.push(b.subarray(c.start, c.end));
  }
  const body = concat(kept);
  if (first.type === "VP8X" && stripped.length) {
    const copy = body.slice();
    copy[8] = copy[8]! & ~0x0c; // VP8X flags: EXIF (0x08) and XMP (0x04) no longer present
    return { width, height, frames, bytes: riff(copy), stripped };
  }
  return { width, height, frames, bytes: riff(body), stripped };
}

function vp8Size(d: Uint8Array): [number, number] {
  if (d.length < 10 || d[3] !== 0x9d || d[4] !== 0x01 || d[5] !== 0x2a) fail("bad VP8 key frame header");
  return [(d[6]! | (d[7]! << 8)) & 0x3fff, (d[8]! | (d[9]! << 8)) & 0x3fff];
}

function vp8lSize(d: Uint8Array): [number, number] {
  if (d.length < 5 || d[0] !== 0x2f) fail("bad VP8L signature");
  const bits = d[1]! | (d[2]! << 8) | (d[3]! << 16) | (d[4]! << 24);
  return [1 + (bits & 0x3fff), 1 + ((bits >>> 14) & 0x3fff)];
}

function riff(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  out.set(ascii("RIFF"), 0);
  new DataView(out.buffer).setUint32(4, 4 + body.length, true);
  out.set(ascii("WEBP"), 8);
  out.set(body, 12);
  return out;
}

// ── GIF (GIF89a specification) ───────────────────────────────────────────────
// Comment and plain-text extensions and application extensions other than the
// looping one (NETSCAPE2.0 / ANIMEXTS1.0) — XMP lives in one — are dropped.
function parseGif(b: Uint8Array, limits: ImageLimits): Parsed {
  if (b.length < 13) fail("truncated header");
  const width = b[6]! | (b[7]! << 8);
  const height = b[8]! | (b[9]! << 8);
  let pos = 13 + colorTableSize(b[10]!);
  const out: Uint8Array[] = [b.subarray(0, pos)];
  const stripped: string[] = [];
  let frames = 0;
  for (;;) {
    if (pos >= b.length) fail("truncated: no trailer");
    const block = b[pos]!;
    if (block === 0x3b) {
      out.push(b.subarray(pos, pos + 1));
      break;
    }
    const start = pos;
    if (block === 0x21) {
      const label = b[pos + 1];
      pos = skipSubBlocks(b, pos + 2);
      const firstSub = b.subarray(start + 3, start + 3 + (b[start + 2] ?? 0));
      const keep = label === 0xf9 || (label === 0xff && (startsWith(firstSub, ascii("NETSCAPE2.0")) || startsWith(firstSub, ascii("ANIMEXTS1.0"))));
      if (keep) out.push(b.subarray(start, pos));
      else stripped.push(label === 0xfe ? "comment" : label === 0x01 ? "plain-text" : "application");
    } else if (block === 0x2c) {
      if (pos + 10 > b.length) fail("truncated image descriptor");
      const fw = b[pos + 5]! | (b[pos + 6]! << 8);
      const fh = b[pos + 7]! | (b[pos + 8]! << 8);
      const fx = b[pos + 1]! | (b[pos + 2]! << 8);
      const fy = b[pos + 3]! | (b[pos + 4]! << 8);
      if (fx + fw > Math.max(width, 1) || fy + fh > Math.max(height, 1)) fail("a frame outside the logical screen");
      frames += 1;
      if (frames > limits.maxFrames) fail(`more than ${limits.maxFrames} frames`);
      pos += 10 + colorTableSize(b[pos + 9]!);
      if (pos >= b.length) fail("truncated frame");
      pos = skipSubBlocks(b, pos + 1); // LZW minimum code size, then the data sub-blocks
      out.push(b.subarray(start, pos));
    } else fail(`unknown block 0x${hex(block)} at byte ${pos}`);
  }
  if (!frames) fail("no image");
  return { width, height, frames, bytes: concat(out), stripped };
}

const colorTableSize = (packed: number) => (packed & 0x80 ? 3 * (1 << ((packed & 0x07) + 1)) : 0);

function skipSubBlocks(b: Uint8Array, pos: number): number {
  for (;;) {
    if (pos >= b.length) fail("truncated: data sub-blocks run past the end");
    const size = b[pos]!;
    pos += 1 + size;
    if (size === 0) return pos;
  }
}

// ── bytes ────────────────────────────────────────────────────────────────────
const ascii = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
const latin1 = (b: Uint8Array) => String.fromCharCode(...b);
const hex = (n: number) => n.toString(16).toUpperCase().padStart(2, "0");
const u32be = (b: Uint8Array, i: number) => ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
const u32le = (b: Uint8Array, i: number) => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;

function startsWith(b: Uint8Array, prefix: ArrayLike<number>): boolean {
  if (b.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (b[i] !== prefix[i]) return false;
  return true;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 as PNG uses it (ISO 3309 / ITU-T V.42). */
export function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
