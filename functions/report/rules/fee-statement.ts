import type { ParsedReport } from '../parse.ts';
import { type Finding, sectionProse } from './section-text.ts';

/**
 * What counts as a statement on 信息处理费: naming the fee, an amount or charge (收费, 收取…费, 费用), or
 * saying none was charged (未收取, 不收取, 没有收取, 免收). Deliberately broad: the rule only asks that the
 * matter be addressed, not how.
 */
export const FEE_STATEMENT = /信息处理费|处理费|收费|收取[^。；]{0,12}费|费用|免收|未收取|不收取|没有收取/;

/**
 * FEE_STATEMENT_MISSING: the 2021 template asks section 六 to report 信息处理费 (its blank form says
 * 收取信息处理费情况在此处报告). Only 2021-template reports, only when section 六 is there (else
 * SECTION_MISSING). Table 二's 行政事业性收费 is a different fee and is never looked at.
 */
export function feeStatementIssues(report: ParsedReport): Finding[] {
  if (report.proactive.template !== '2021') return [];
  const year = report.metadata.year;
  if (year !== null && year < 2021) return [];
  const prose = sectionProse(report, 6);
  if (prose === null || FEE_STATEMENT.test(prose)) return [];
  return [
    {
      code: 'FEE_STATEMENT_MISSING',
      section: 6,
      message:
        '第六部分未说明信息处理费的收取情况（2021年版模板要求在此报告收取信息处理费的情况，未收取的也应说明）',
    },
  ];
}
