import { EXTRACTION_ERRORS } from '../extract/errors.ts';
import type { TableName } from './template.ts';

/*
 * ADD NEW FINDING CODES HERE (extraction failure codes: in ../extract/errors.ts, the lower layer).
 *
 * The one catalogue of finding codes. Everything else is derived from it: the record's zod enum
 * (record.ts), each finding's severity (severityOf), the JSON Schema and the code tables of docs/ (both
 * written by `npm run schema`; tests fail when either is stale). Codes are a public contract: add, never
 * rename. The order here is the order of the schema's enum and of those tables.
 */

export const SEVERITIES = ['error', 'warning', 'info'] as const;
/** `error` makes a report INVALID; `warning` asks for a look; `info` is counted as neither. */
export type Severity = (typeof SEVERITIES)[number];

export type Stage = 'extraction' | 'validation' | 'cross-year' | 'upload';

export interface CodeSpec {
  severity: Severity;
  /** Tables where the finding weighs differently (ROW_MISSING: a left-out requests row is an error). */
  severityIn?: Partial<Record<TableName, Severity>>;
  stage: Stage;
  /** The sections the code is reported in: 0 is the document as a whole, 1–6 the sections. */
  sections: readonly number[] | 'any';
  /** What it means, in Chinese, for the people who read findings. */
  meaning: string;
  /** The gloss in English, for the code tables of docs/extraction.md and docs/findings.md. */
  readme: string;
}

const TABLES_2_TO_4 = [2, 3, 4] as const;

const VALIDATION = {
  SECTION_MISSING: {
    severity: 'error',
    sections: [1, 2, 3, 4, 5, 6],
    meaning: '缺少六个部分之一的标题',
    readme: 'one of the six section headings is not there',
  },
  SECTION_ORDER: {
    severity: 'warning',
    sections: [0, ...TABLES_2_TO_4],
    meaning: '各部分顺序与模板不符，或表格不在所属部分的标题之下',
    readme: 'sections out of template order, or a table outside its section',
  },
  TITLE_MISSING: {
    severity: 'warning',
    sections: [0],
    meaning: '未找到报告标题',
    readme: 'no document title',
  },
  ROW_MISSING: {
    severity: 'warning',
    severityIn: { requests: 'error' },
    sections: [2, 3],
    meaning: '表格缺少模板中的一行（第二部分为警告，第三部分为错误）',
    readme: 'a template row left out: warning in `proactive` (e.g. 规章), error in `requests`',
  },
  ROW_RECOVERED: {
    severity: 'warning',
    sections: TABLES_2_TO_4,
    meaning: '一行数字之间缺少分隔，已按表内合计唯一还原，请核对',
    readme:
      "run-together cells split by the template's sums: one for the table, or for the row when only one (check it)",
  },
  CELL_MISSING: {
    severity: 'error',
    sections: TABLES_2_TO_4,
    meaning: '单元格为空（连续的空白单元格合并为一项，列出各单元格）',
    readme:
      'blank cells: one finding per blank run (whole table, adjacent columns, rows or groups, a stretch of one column, the rest of a row) with `count` and `cells`',
  },
  CELL_INVALID: {
    severity: 'error',
    sections: TABLES_2_TO_4,
    meaning: '单元格不是数字、为负数，或应为整数处出现小数',
    readme: 'not a number, negative, or a fraction where a count belongs',
  },
  CELL_EXTRA: {
    severity: 'warning',
    sections: TABLES_2_TO_4,
    meaning: '一行的数字多于列数，已取第一个',
    readme: 'more numbers than the row has columns; the first is taken',
  },
  TABLE_UNREADABLE: {
    // Our reading's limit, not the agency's mistake: the digits are there, run together or laid out so that
    // more than one split fits, and the cells are left open rather than guessed. A warning in every table
    // (a request to check the named cells); the arithmetic those cells take part in is not checked, so a
    // broken sum behind them is missed rather than a sound report marked INVALID (precision before recall).
    severity: 'warning',
    sections: TABLES_2_TO_4,
    meaning: '一行数字无法不经猜测地对应到列，相关单元格未读取、相关合计未核对，请人工核对',
    readme:
      'numbers that cannot be put in columns without guessing; `column` (or the message) names the open cells',
  },
  REQUESTS_BALANCE: {
    severity: 'error',
    sections: [3],
    meaning: '第三部分每列：第一项加第二项之和不等于第三项（七）总计加第四项之和',
    readme: 'per column: 一 + 二 ≠ 三（七）总计 + 四 (reported at `carriedOverToNextYear`)',
  },
  REQUESTS_ROW_TOTAL: {
    severity: 'error',
    sections: [3],
    meaning: '第三部分每行：总计不等于六类申请人之和',
    readme: 'per row: `total` ≠ the sum of the six applicant columns',
  },
  REQUESTS_RESULT_TOTAL: {
    severity: 'error',
    sections: [3],
    meaning: '第三部分每列：（七）总计不等于各项办理结果之和',
    readme: 'per column: `resultTotal` ≠ the sum of the result rows',
  },
  APPEALS_GROUP_TOTAL: {
    severity: 'error',
    sections: [4],
    meaning: '第四部分每组：总计不等于结果维持、结果纠正、其他结果、尚未审结之和',
    readme: 'per group: `total` ≠ upheld + corrected + other + pending',
  },
  YEAR_MISMATCH: {
    severity: 'error',
    sections: [0],
    meaning: '标题、统计期限与正文所述年度不一致',
    readme: 'title, statistical period and narrative name different years',
  },
  NARRATIVE_MISMATCH: {
    severity: 'warning',
    sections: [1, 4],
    meaning: '第一部分所述件数（申请、行政复议、行政诉讼、第二部分各项）与表格不符',
    readme:
      'a count the narrative states differs from the table: 收到/上年结转/结转下年度 N 件 (收到 N may be 一 or 一+二), 行政复议/行政诉讼 N 件 and table 二 items',
  },
  TEMPLATE_OUTDATED: {
    severity: 'warning',
    sections: [2, 3],
    meaning: '2021年及以后的年度报告仍使用2019年版模板',
    readme: "a report for 2021 or later on the 2019 template's rows",
  },
  NOT_AN_ANNUAL_REPORT: {
    severity: 'error',
    sections: [0],
    meaning: '文件不是政府信息公开工作年度报告',
    readme: 'no title, sections or tables of an annual report: the only finding then',
  },
  SECTION_EMPTY: {
    severity: 'warning',
    sections: [5, 6],
    meaning: '第五部分或第六部分内容为空、仅写"无"或过于简短',
    readme:
      'section 五 or 六 is empty, only 无, or under 20 characters (a short 信息处理费 statement in 六 is content)',
  },
  FEE_STATEMENT_MISSING: {
    severity: 'warning',
    sections: [6],
    meaning: '第六部分未说明信息处理费收取情况',
    readme:
      '2021 template: section 六 says nothing about 信息处理费 (neither an amount nor that none was charged)',
  },
  // Scanned reports (issue 24): our reading, never the agency's mistake.
  OCR_READ: {
    severity: 'warning',
    sections: [0],
    meaning: '报告为扫描件，经文字识别（OCR）读取；识别把握不大的单元格已列出，请对照原件核对',
    readme:
      'scanned pages were read by OCR (`source.ocr`: engine, model, pages, mean confidence, doubtful cells)',
  },
  OCR_UNCERTAIN: {
    severity: 'warning',
    sections: TABLES_2_TO_4,
    meaning:
      '表格规则不成立，但涉及文字识别（OCR）把握不大的单元格，可能是识别有误，请人工核对（不计为报告错误）',
    readme:
      "a rule failed only through cells OCR read with low confidence: `cells` (with `page`) name them; the rule's place is kept",
  },
  TABLE_MISSING: {
    // A table that is not in the text (published as an image, or left out) leaves every cell of it
    // unchecked: one finding for the table, never one per row.
    severity: 'error',
    sections: TABLES_2_TO_4,
    meaning: '统计表未出现在文本中（如以图片形式发布或未填报），无法核对',
    readme:
      "a whole table is not in the text (published as an image, or left out): one finding with the table's name, its rows not reported one by one",
  },
} as const;

/** Made by the pipeline once the store holds the previous year's report and the registry the body's kind. */
const CROSS_YEAR = {
  CARRYOVER_MISMATCH: {
    severity: 'error',
    sections: [3],
    meaning: '第三部分"上年结转"与上一年度报告的"结转下年度继续办理"不一致',
    readme: "per column: this year's 二、上年结转 ≠ last year's 四、结转下年度继续办理",
  },
  LATE_PUBLICATION: {
    severity: 'warning',
    sections: [0],
    meaning: '年度报告晚于规定期限公开',
    readme: 'uploaded after 31 January of Y+1 (departments) or 31 March (a government), China time',
  },
  STOCK_FLOW_MISMATCH: {
    severity: 'warning',
    sections: [2],
    meaning: '第二部分"现行有效件数"不等于上年现行有效件数加本年制发件数减本年废止件数',
    readme:
      "现行有效 ≠ last year's 现行有效 + 本年制发 − 本年废止 (规章, 行政规范性文件; 2021 template both years)",
  },
  CONTENT_REPEATED: {
    severity: 'warning',
    sections: [1, 5],
    meaning: '第一部分或第五部分内容与上一年度报告高度雷同',
    readme: "section 一 or 五 ≥ 85% similar to last year's (character bigrams, years and numbers ignored)",
  },
  UNUSUAL_CHANGE: {
    severity: 'info',
    sections: [2, 3],
    meaning: '主要数据与上一年度相比变化异常（超过5倍），供审阅参考',
    readme:
      '本年新收 total, 行政许可 or 行政处罚 changed more than 5× (both years ≥ 20); no status, no message',
  },
} as const;

/** Made by the pipeline's parse step from what the agency declared when it uploaded (the object key). */
const UPLOAD = {
  DECLARED_YEAR_MISMATCH: {
    severity: 'warning',
    sections: [0],
    meaning: '上传时填写的报告年度与报告所述年度不一致（记录保留上传时填写的年度）',
    readme:
      "the year declared at upload (the key's `incoming/{agency}/{year}/…` segment) differs from the year the report states; the key keeps the declared year",
  },
} as const;

/** The entries with the fields their group shares (the one cast: Object.fromEntries forgets the keys). */
const withShared = <const T extends Record<string, object>, const E extends object>(entries: T, shared: E) =>
  Object.fromEntries(Object.entries(entries).map(([code, spec]) => [code, { ...spec, ...shared }])) as {
    [K in keyof T]: T[K] & E;
  };

export const CODES = {
  ...withShared(VALIDATION, { stage: 'validation' }),
  ...withShared(CROSS_YEAR, { stage: 'cross-year' }),
  ...withShared(UPLOAD, { stage: 'upload' }),
  ...withShared(EXTRACTION_ERRORS, { stage: 'extraction', severity: 'error', sections: [0] }),
} satisfies Record<string, CodeSpec>;

export type IssueCode = keyof typeof CODES;

/** Every code, in catalogue order. */
export const ISSUE_CODES = Object.keys(CODES) as IssueCode[];

export function isIssueCode(value: unknown): value is IssueCode {
  return typeof value === 'string' && Object.hasOwn(CODES, value);
}

/** The severity of a finding: the code's, unless the code weighs differently in the finding's table. */
export function severityOf(code: IssueCode, table?: TableName): Severity {
  const spec: CodeSpec = CODES[code];
  return (table === undefined ? undefined : spec.severityIn?.[table]) ?? spec.severity;
}
