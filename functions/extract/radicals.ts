/**
 * Radical code points to the unified ideographs they stand for.
 *
 * Chromium's print-to-PDF (and some office exports) write fonts whose ToUnicode maps a glyph to the first
 * code point the font's cmap gives it; in CJK fonts an ideograph and its radical share one glyph, so 一
 * comes out as ⼀ (U+2F00) and 民 as ⺠ (U+2EA0). Kangxi radicals (U+2F00–U+2FD5) have compatibility
 * decompositions, so NFKC restores them; the CJK Radicals Supplement (U+2E80–U+2EF3) mostly has none and
 * needs this table. NFKC is not applied to the whole text: it would also rewrite full-width digits, ①,
 * ㈠ and other characters whose reading the report stage decides.
 *
 * Pairs (radical, ideograph). Derived from the glyphs Noto Sans CJK shares between the two (every face of
 * the installed fonts-noto-cjk), plus the supplement radicals whose ideograph is the same shape in
 * Unicode's EquivalentUnifiedIdeograph data (⺁ 厂, ⺄ 乙, ⺆ 冂, ⺊ 卜, ⺌ 小, ⺜ 日, ⺝ 月, ⺢ 氺, ⺪ 疋,
 * ⺬ 示, ⻀ 艹, ⻁ 虎, ⻏ 阝, ⻗ 雨). Radicals with no ideograph of their own shape stay as they are.
 */
const SUPPLEMENT_PAIRS =
  '⺁厂⺂乛⺃乚⺄乙⺅亻⺆冂⺇𠘨⺉刂⺊卜⺋㔾⺌小⺍𭕄⺎兀⺏尣⺐尢⺒巳⺓幺⺔彑⺕彐⺖忄⺘扌⺙攵⺛旡⺜日⺝月⺞歺⺟母' +
  '⺠民⺡氵⺢氺⺣灬⺤爫⺦丬⺨犭⺩𤣩⺪疋⺫罒⺬示⺭礻⺮𥫗⺯糹⺰纟⺱罓⺲罒⺳㓁⺹耂⺺肀⺽𦥑⺾艹⺿艹⻀艹⻁虎⻂衤⻃覀' +
  '⻄西⻅见⻆角⻇𧢲⻈讠⻉贝⻊𧾷⻋车⻌辶⻍辶⻎辶⻏阝⻐钅⻑長⻒镸⻓长⻔门⻕𨸏⻖阝⻗雨⻘青⻙韦⻚页⻛风⻜飞⻝食' +
  '⻞𩙿⻟飠⻠饣⻡𩠐⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄⻪黾⻫斉⻬齐⻭歯⻮齿⻯竜⻰龙⻱龜⻲亀⻳龟';

function pairs(text: string): Map<string, string> {
  const chars = Array.from(text);
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < chars.length; i += 2) {
    const [from, to] = chars.slice(i, i + 2);
    if (from !== undefined && to !== undefined) map.set(from, to);
  }
  return map;
}

export const RADICAL_SUPPLEMENT: ReadonlyMap<string, string> = pairs(SUPPLEMENT_PAIRS);

/** Kangxi radicals, the radicals supplement and CJK compatibility ideographs (豈 U+F900–U+FAFF). */
const RADICAL_OR_COMPAT = /[\u2e80-\u2eff\u2f00-\u2fd5\uf900-\ufaff]/gu;

/** Replaces radical and compatibility code points by their unified ideographs; leaves everything else. */
export function unifyIdeographs(text: string): string {
  return text.replace(
    RADICAL_OR_COMPAT,
    (ch) => RADICAL_SUPPLEMENT.get(ch) ?? (ch >= '\u2f00' ? ch.normalize('NFKC') : ch),
  );
}
