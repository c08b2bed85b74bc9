// Names that look like other names (issue 12, item 9): invisible and blank
// characters are refused, and each word must resolve to one script (UTS #39 §5.1,
// with the §5.2 "highly restrictive" Latin + Han mixes).
import { describe, expect, it } from "vitest";
import { lookAlikeProblem, scriptSet, SCRIPTS } from "../../packages/core/src/names";

describe("look-alike names", () => {
  it("refuses the reviewed ones", () => {
    for (const name of ["Tether\u3164", "\u3164", "Tether\u2800", "Teth\u034Fer", "Tether\u17B4", "\u0422ether", "Tether \u0422ether",
      "Pay\u200DPal", "\u115F", "\u1160x", "x\uFFA0", "Ethe\u0433eum", "\u03A4ether", "G\u043E\u043Egle"]) {
      expect(lookAlikeProblem(name), JSON.stringify(name)).not.toBeNull();
    }
  });

  it("accepts honest names in one script per word", () => {
    for (const name of ["Forge Coin", "Тетер", "Рубль Коин", "東京タワー", "Ünïcödé Coin", "Forge 🚀", "🚀🚀🚀", "Coin 2", "Ελληνικά",
      "मुद्रा", "عملة", "Tokyo東京", "ソニーSony", "서울Seoul", "中文 English", "Crème brûlée", "a\u0301b", "日本語", "ethereum ТОКЕН"]) {
      expect(lookAlikeProblem(name), JSON.stringify(name)).toBeNull();
    }
  });

  it("knows the script of every letter the engine knows (no letter falls through the list)", () => {
    const any = new RegExp(`^[${SCRIPTS.map(([c]) => `\\p{Script_Extensions=${c}}`).join("")}\\p{Script=Zyyy}\\p{Script=Zinh}]$`, "u");
    const missing: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      if (/\p{L}/u.test(ch) && !any.test(ch)) missing.push(cp.toString(16));
    }
    expect(missing).toEqual([]);
  });

  it("resolves each character's scripts once (about 170 regex tests), the same answer as from scratch", () => {
    for (const ch of ["T", "е", "東", "タ", "1", "🚀"]) {
      const first = scriptSet(ch);
      expect(scriptSet(ch)).toBe(first);
      const fresh = SCRIPTS.filter(([, re]) => re.test(ch)).map(([c]) => c);
      for (const c of fresh) expect(first?.has(c)).toBe(true);
      if (fresh.length === 0) expect(first).toBeNull();
    }
    expect(lookAlikeProblem("\u0422ether")).not.toBeNull(); // still refused when its characters are known
    expect(lookAlikeProblem("\u0422ether")).not.toBeNull();
  });
});
