import type { ParsedReport } from '../parse.ts';
import { sectionName } from '../template.ts';
import { FEE_STATEMENT } from './fee-statement.ts';
import { type Finding, sectionProse } from './section-text.ts';

/** Under this many characters (spaces and punctuation excluded) a section says nothing a reader can use. */
export const MIN_SECTION_CHARS = 20;

const PUNCTUATION = /[。，、；：,.;:!?！？"“”'‘’()（）《》\-—…·]/g;

/**
 * SECTION_EMPTY: section 五 (problems and improvements) or 六 (other matters) is there but empty, only 无, or
 * one token sentence under MIN_SECTION_CHARS ("无其他需要报告的事项。"); a short statement on the fee is
 * content. A missing heading is SECTION_MISSING's, not this rule's.
 */
export function sectionEmptyIssues(report: ParsedReport): Finding[] {
  const out: Finding[] = [];
  for (const number of [5, 6] as const) {
    const prose = sectionProse(report, number);
    if (prose === null) continue;
    const content = prose.replace(PUNCTUATION, '');
    if (content.length >= MIN_SECTION_CHARS) continue;
    // "本年度未收取信息处理费。" is short and says what the 2021 template asks section 六 to say.
    if (number === 6 && FEE_STATEMENT.test(content)) continue;
    const name = sectionName(number);
    const said = content === '' ? '没有内容' : `只有"${prose}"`;
    out.push({
      code: 'SECTION_EMPTY',
      section: number,
      actual: content.length,
      message: `${name}${said}，未说明${number === 5 ? '存在的主要问题及改进情况' : '其他需要报告的事项（如信息处理费收取情况）'}`,
    });
  }
  return out;
}
