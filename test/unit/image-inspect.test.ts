// The upload checks in packages/core/src/assets/image.ts against valid images of
// each format and hostile inputs: wrong formats, lies about dimensions, truncation,
// corruption, and metadata that must not survive (GPS in EXIF, XMP, text chunks).
import { describe, expect, it } from "vitest";
import { inspectImage, LOGO_LIMITS, sniffImageType } from "../../packages/core/src/assets/image";
import { GPS_MARKER, HTML, SVG, gif, jpeg, png, pngChunk, pngClaiming, webp } from "../fixtures/images";

const text = (b: Uint8Array) => Buffer.from(b).toString("latin1");
const accept = (b: Uint8Array) => {
  const r = inspectImage(b);
  if (!r.ok) throw new Error(`refused: ${r.reason} ${r.detail}`);
  return r;
};
const refuse = (b: Uint8Array) => {
  const r = inspectImage(b);
  if (r.ok) throw new Error(`accepted a ${r.type} ${r.width}×${r.height}`);
  return r;
};

describe("inspectImage: valid images", () => {
  it("reads a PNG's dimensions and keeps it byte for byte when it has no metadata", () => {
    const b = png(32, 16);
    const r = accept(b);
    expect([r.type, r.width, r.height]).toEqual(["image/png", 32, 16]);
    expect(Buffer.from(r.bytes).equals(b)).toBe(true);
  });
  it("drops PNG tEXt, iTXt, zTXt and eXIf chunks, keeping every other chunk valid", () => {
    const b = png(8, 8, [pngChunk("tEXt", Buffer.from("Comment\0" + GPS_MARKER)), pngChunk("iTXt", Buffer.from("XML:com.adobe.xmp\0\0\0\0\0" + GPS_MARKER)), pngChunk("zTXt", Buffer.from("k\0\0xx")), pngChunk("eXIf", Buffer.from("MM\0*" + GPS_MARKER)), pngChunk("gAMA", Buffer.from([0, 0, 0xb1, 0x8f]))]);
    const r = accept(b);
    expect(r.stripped).toEqual(["tEXt", "iTXt", "zTXt", "eXIf"]);
    expect(text(r.bytes)).not.toContain("GPS");
    expect(text(r.bytes)).toContain("gAMA");
    expect(accept(r.bytes).bytes.length).toBe(r.bytes.length); // the stripped file is itself valid
  });
  it("drops a JPEG's EXIF (with GPS), XMP and comment, keeping JFIF", () => {
    const r = accept(jpeg(640, 480, { gps: true }));
    expect([r.type, r.width, r.height]).toEqual(["image/jpeg", 640, 480]);
    expect(r.stripped).toEqual(["APP1", "APP1", "COM"]);
    expect(text(r.bytes)).not.toContain("GPS");
    expect(text(r.bytes)).toContain("JFIF");
    expect(Buffer.from(r.bytes).equals(jpeg(640, 480))).toBe(true);
  });
  it("drops WebP EXIF and XMP chunks, clears their VP8X flags and rewrites the RIFF size", () => {
    const r = accept(webp(100, 50, { exif: true }));
    expect([r.type, r.width, r.height]).toEqual(["image/webp", 100, 50]);
    expect(r.stripped).toEqual(["EXIF", "XMP"]);
    expect(text(r.bytes)).not.toContain("GPS");
    expect(Buffer.from(r.bytes).equals(webp(100, 50))).toBe(true);
  });
  it("drops a GIF's comment and keeps its looping extension", () => {
    const r = accept(gif(20, 10));
    expect([r.type, r.width, r.height]).toEqual(["image/gif", 20, 10]);
    expect(r.stripped).toEqual(["comment"]);
    expect(text(r.bytes)).toContain("NETSCAPE2.0");
    expect(text(r.bytes)).not.toContain("GPS");
  });
  it("never modifies its input", () => {
    const b = webp(10, 10, { exif: true });
    const copy = Buffer.from(b);
    inspectImage(b);
    expect(b.equals(copy)).toBe(true);
  });
});

describe("inspectImage: hostile inputs", () => {
  it("refuses SVG and HTML, whatever they are called", () => {
    expect(refuse(SVG).reason).toBe("unsupported");
    expect(refuse(HTML).reason).toBe("unsupported");
    expect(sniffImageType(Buffer.concat([Buffer.from("\x89PNG"), HTML]))).toBeNull();
  });
  it("refuses HTML behind a PNG signature (no valid chunks)", () => {
    const disguised = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), HTML]);
    expect(refuse(disguised).reason).toBe("invalid");
  });
  it("refuses a body over the byte limit before parsing it", () => {
    expect(refuse(new Uint8Array(LOGO_LIMITS.maxBytes + 1)).reason).toBe("too-large");
  });
  it("refuses a 1×100000 PNG and a 0×0 one by their dimensions", () => {
    expect(refuse(pngClaiming(1, 100_000))).toMatchObject({ reason: "dimensions" });
    expect(refuse(pngClaiming(0, 0))).toMatchObject({ reason: "dimensions" });
  });
  it("refuses a decompression bomb: a small file claiming more pixels than the bound, each side within its own", () => {
    const bomb = pngClaiming(4000, 4000);
    expect(bomb.length).toBeLessThan(200_000);
    const r = refuse(bomb);
    expect(r.reason).toBe("dimensions");
    expect(r.detail).toContain("16000000 pixels");
  });
  it("refuses a GIF and a WebP whose headers claim too much", () => {
    expect(refuse(gif(5000, 1)).reason).toBe("dimensions");
    expect(refuse(webp(4096, 4096)).reason).toBe("dimensions");
  });
  it("refuses truncated images of every format, at every length", () => {
    for (const whole of [png(4, 4), jpeg(8, 8, { gps: true }), webp(4, 4, { exif: true }), gif(4, 4)]) {
      for (let n = 1; n < whole.length; n++) {
        const r = inspectImage(whole.subarray(0, n));
        expect(r.ok, `${n} of ${whole.length} bytes`).toBe(false);
      }
    }
  });
  it("refuses a PNG whose chunk fails its CRC", () => {
    const b = png(4, 4);
    b[20] ^= 0xff; // inside IHDR's width
    expect(refuse(b)).toMatchObject({ reason: "invalid" });
  });
  it("refuses a JPEG with no frame header and a GIF frame outside its screen", () => {
    const noSof = Buffer.from([0xff, 0xd8, 0xff, 0xda, 0, 8, 1, 1, 0, 0, 0x3f, 0, 0x11, 0xff, 0xd9]);
    expect(refuse(noSof).reason).toBe("invalid");
    const g = gif(4, 4);
    const frameAt = g.indexOf(0x2c, 13 + 6 + 3 + GPS_MARKER.length + 1 + 19);
    g.writeUInt16LE(9, frameAt + 5);
    expect(refuse(g).reason).toBe("invalid");
  });
  it("drops bytes after a PNG's IEND and a JPEG's EOI (a polyglot's payload)", () => {
    const p = Buffer.concat([png(2, 2), HTML]);
    expect(text(accept(p).bytes)).not.toContain("script");
    const j = Buffer.concat([jpeg(2, 2), HTML]);
    expect(text(accept(j).bytes)).not.toContain("script");
  });
});
