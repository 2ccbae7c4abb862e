/**
 * Agency names as reports print them: in the title (`上海市人民政府办公厅2021年…`), on the line above it,
 * under the signature, or in the first sentence (`2021年，区卫健委认真贯彻…`).
 *
 * A name ends in an organisation word. The longest one wins, so an office (上海市人民政府办公厅,
 * XX县人民政府办公室) is not cut back to the government it belongs to; and 政府 that begins
 * 政府信息公开 is not a name's end (`市发展改革委政府信息公开工作…` names 市发展改革委).
 */
const ORG_END =
  /(?:人民政府|政府办公室|办公室|办公厅|办事处|委员会|管理局|管理委员会|管委会|工委|局|厅|委|中心|街道|镇|乡|政府|院|署|所|站|馆|队|会|办)$/;
/** In a title an area's own name also reports for it: 平潭综合实验区2021年度…, 某某县2021年…. */
const AREA_END = /(?:省|自治区|市|自治州|州|盟|区|县|旗|新区|实验区|开发区)$/;
/** 政府 followed by these is the start of a phrase, not the end of a name. */
const PHRASE_AFTER_GOVERNMENT = /^(?:信息|政务|网站|门户|公报|公开)/;
/** Words a first sentence goes on with after the name. */
const VERB_START =
  /认真|坚持|深入|全面|严格|积极|持续|不断|紧紧|紧扣|围绕|按照|根据|贯彻|落实|高度|进一步|始终|主动|扎实|着力|切实|聚焦|以习近平|在|共|全年|依法|稳步|大力|继续|牢固|立足|对标|结合|加强|强化|推进|做好|没有|未|受理|收到/;

const NAME_CHARS = /^[\u4e00-\u9fa5（）()]+$/;

function compact(text: string): string {
  return text.replace(/\s+/g, '');
}

/** True when the whole text reads as one organisation's name. */
export function isOrgName(text: string): boolean {
  const t = compact(text);
  return t.length >= 2 && t.length <= 40 && NAME_CHARS.test(t) && ORG_END.test(t) && !/^[我本该]/.test(t);
}

/**
 * The agency a title names before its year. `XX县人民政府办公室关于XX县人民政府2021年…` reports for the
 * government it names after 关于; a bare area name (平潭综合实验区) stands for its government.
 */
export function agencyFromTitlePrefix(prefix: string): string | null {
  let t = compact(prefix).replace(/^(?:标题|题目)[:：]/, '');
  const about = t.lastIndexOf('关于');
  // `XX局关于2023年…的年度报告`: nothing after 关于, the body before it reports for itself.
  if (about >= 0) t = about + 2 === t.length ? t.slice(0, about) : t.slice(about + 2);
  if (isOrgName(t)) return t;
  if (t.length >= 2 && t.length <= 20 && NAME_CHARS.test(t) && AREA_END.test(t)) return t;
  return null;
}

/**
 * The name a sentence opens with: the longest organisation name among its first words, before the verb
 * the sentence goes on with. Null when no prefix is a name.
 */
export function agencyAtStart(sentence: string): string | null {
  const t = compact(sentence);
  const verb = t.slice(1).search(VERB_START);
  const words = t.slice(0, Math.min(verb < 0 ? 30 : verb + 1, 30)).split(/[^\u4e00-\u9fa5]/)[0] ?? '';
  for (let end = words.length; end >= 2; end--) {
    const name = words.slice(0, end);
    if (!isOrgName(name)) continue;
    if (/政府$/.test(name) && PHRASE_AFTER_GOVERNMENT.test(t.slice(end))) continue;
    return name;
  }
  return null;
}
