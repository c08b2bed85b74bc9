// Names people show to each other (token names, API key names, webhook
// descriptions) must not look like other names. Two rules:
//  1. nothing invisible: no Default_Ignorable_Code_Point (U+034F, U+17B4, U+3164,
//     zero-width characters, …) and none of the characters that render blank
//     without being spaces (U+2800 BRAILLE PATTERN BLANK and the Hangul fillers);
//  2. per whitespace-separated word, the resolved script set of UTS #39 §5.1
//     (Script_Extensions, augmented: Han ⊂ Hanb/Jpan/Kore, Hiragana and Katakana ⊂
//     Jpan, Hangul ⊂ Kore, Bopomofo ⊂ Hanb; Common and Inherited ignored) must not
//     be empty, except for the mixes UTS #39 §5.2 "highly restrictive" allows:
//     Latin with Han + Kana, Han + Hangul or Han + Bopomofo.
// So "\u0422ether" (a Cyrillic Te before Latin) is refused, while "Тетер",
// "東京タワー", "Ünïcödé" and "Forge 🚀" pass. Pure, no tables: the JS regex
// engine's \p{Script_Extensions=…} (workerd, node and browsers) is the data.

/** Characters that render as blank space without being whitespace. */
const BLANK = /[\u2800\u3164\u115F\u1160\uFFA0]/u;
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/u;

// ISO 15924 codes of the Unicode scripts; those the engine does not know (newer
// Unicode versions) are dropped, and a test checks every letter is covered.
const SCRIPT_CODES = (
  "Adlm Aghb Ahom Arab Armi Armn Avst Bali Bamu Bass Batk Beng Bhks Bopo Brah Brai Bugi Buhd Cakm Cans Cari Cham Cher Chrs " +
  "Copt Cpmn Cprt Cyrl Deva Diak Dogr Dsrt Dupl Egyp Elba Elym Ethi Gara Geor Glag Gong Gonm Goth Gran Grek Gujr Gukh Guru " +
  "Hang Hani Hano Hatr Hebr Hira Hluw Hmng Hmnp Hung Ital Java Kali Kana Kawi Khar Khmr Khoj Kits Knda Krai Kthi Lana Laoo " +
  "Latn Lepc Limb Lina Linb Lisu Lyci Lydi Mahj Maka Mand Mani Marc Medf Mend Merc Mero Mlym Modi Mong Mroo Mtei Mult Mymr " +
  "Nagm Nand Narb Nbat Newa Nkoo Nshu Ogam Olck Onao Orkh Orya Osge Osma Ougr Palm Pauc Perm Phag Phli Phlp Phnx Plrd Prti " +
  "Rjng Rohg Runr Samr Sarb Saur Sgnw Shaw Shrd Sidd Sind Sinh Sogd Sogo Sora Soyo Sund Sunu Sylo Syrc Tagb Takr Tale Talu " +
  "Taml Tang Tavt Telu Tfng Tglg Thaa Thai Tibt Tirh Tnsa Todr Toto Tutg Ugar Vaii Vith Wara Wcho Xpeo Xsux Yezi Yiii Zanb " +
  "Berf Sidt Tayo Tols"
).split(" ");

export const SCRIPTS: [string, RegExp][] = SCRIPT_CODES.flatMap((code): [string, RegExp][] => {
  try {
    return [[code, new RegExp(`^\\p{Script_Extensions=${code}}$`, "u")]];
  } catch {
    return [];
  }
});

/** UTS #39 §5.1 augmentation: a Han character also counts as Japanese, Korean and Han-with-Bopomofo, … */
const AUGMENT: Record<string, string[]> = { Hani: ["Hanb", "Jpan", "Kore"], Hira: ["Jpan"], Kana: ["Jpan"], Hang: ["Kore"], Bopo: ["Hanb"] };
/** UTS #39 §5.2 "highly restrictive": the mixes with Latin a word may have. */
const ALLOWED_MIXES = [["Latn", "Jpan"], ["Latn", "Kore"], ["Latn", "Hanb"]];

/** A character's augmented Script_Extensions; null for Common / Inherited (they fit any script). */
export function scriptSet(ch: string): ReadonlySet<string> | null {
  // Kept per character: ~170 regex tests each, so a token name cost about a millisecond of CPU per launch.
  const known = scriptSets.get(ch);
  if (known !== undefined) return known;
  const set = new Set<string>();
  for (const [code, re] of SCRIPTS) {
    if (!re.test(ch)) continue;
    set.add(code);
    for (const extra of AUGMENT[code] ?? []) set.add(extra);
  }
  const found = set.size ? set : null;
  if (scriptSets.size >= 4096) scriptSets.clear();
  scriptSets.set(ch, found);
  return found;
}
const scriptSets = new Map<string, ReadonlySet<string> | null>();

/** Why `word` mixes scripts (null when its resolved script set is not empty or it is an allowed mix). */
function wordProblem(word: string): string | null {
  const sets = [...word].map(scriptSet).filter((s): s is ReadonlySet<string> => s !== null);
  if (sets.length === 0) return null;
  const resolved = sets.reduce((acc, s) => new Set([...acc].filter((x) => s.has(x))));
  if (resolved.size > 0) return null;
  if (ALLOWED_MIXES.some((mix) => sets.every((s) => mix.some((m) => s.has(m))))) return null;
  return `"${word}" mixes scripts that look alike`;
}

/** Why a shown name could pass for another (null when it is fine). */
export function lookAlikeProblem(name: string): string | null {
  if (INVISIBLE.test(name) || BLANK.test(name)) return "must not contain invisible or blank characters";
  for (const word of name.split(/\s+/u)) {
    const why = wordProblem(word);
    if (why) return `${why}: use one script per word`;
  }
  return null;
}
