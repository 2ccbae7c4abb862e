/**
 * The national template (国办公开办函〔2021〕30号, and the 2019 one it replaced) as data: the keys of
 * ../shared/template.md, the Chinese names supervisors read in messages, and the label keywords the parser
 * recognises rows by. Keys are a public contract: add, never rename.
 */

export const SECTIONS = [
  { number: 1, title: '一、总体情况' },
  { number: 2, title: '二、主动公开政府信息情况' },
  { number: 3, title: '三、收到和处理政府信息公开申请情况' },
  { number: 4, title: '四、政府信息公开行政复议、行政诉讼情况' },
  { number: 5, title: '五、存在的主要问题及改进情况' },
  { number: 6, title: '六、其他需要报告的事项' },
] as const;
export type SectionNumber = (typeof SECTIONS)[number]['number'];

/** Narrows a printed numeral's value to a section of the template. */
export const isSectionNumber = (n: number): n is SectionNumber => SECTIONS.some((s) => s.number === n);

/**
 * The Chinese numerals of section numbers, one a position: 一 … 六 for the template's sections, 七 and 八
 * because a report may number a heading past them (a misnumbered one). The one home of 一、… and 第一部分.
 */
export const SECTION_NUMERALS = '一二三四五六七八';

/** A section's name as messages say it: 第一部分 … 第六部分 (1-based), 全文 for 0, the whole report. */
export const sectionName = (section: number): string =>
  section === 0 ? '全文' : `第${SECTION_NUMERALS[section - 1] ?? section}部分`;

export const REQUEST_COLUMNS = [
  'naturalPerson',
  'commercial',
  'research',
  'socialWelfare',
  'legalService',
  'otherOrg',
  'total',
] as const;
export type RequestColumn = (typeof REQUEST_COLUMNS)[number];

export const REQUEST_COLUMN_NAMES: Record<RequestColumn, string> = {
  naturalPerson: '自然人',
  commercial: '商业企业',
  research: '科研机构',
  socialWelfare: '社会公益组织',
  legalService: '法律服务机构',
  otherOrg: '其他',
  total: '总计',
};

interface RowSpec<K extends string> {
  key: K;
  /** What a supervisor calls the row. */
  name: string;
  /** Matched against the row's label with spaces removed and brackets/punctuation made half-width. */
  keywords: RegExp;
}

/** The 21 result rows from `granted` to `otherOther`, in template order. */
const RESULT_ROWS = [
  { key: 'granted', name: '（一）予以公开', keywords: /予以公开/ },
  { key: 'partiallyGranted', name: '（二）部分公开', keywords: /部分公开/ },
  { key: 'deniedStateSecret', name: '（三）不予公开 1.属于国家秘密', keywords: /国家秘密/ },
  // 洪泽区 prints the typo 其他法律行政止公开.
  {
    key: 'deniedProhibitedByLaw',
    name: '（三）不予公开 2.其他法律行政法规禁止公开',
    keywords: /禁止公开|法律行政/,
  },
  {
    key: 'deniedSafetyStability',
    name: '（三）不予公开 3.危及“三安全一稳定”',
    keywords: /三安全一稳定|危及/,
  },
  { key: 'deniedThirdPartyRights', name: '（三）不予公开 4.保护第三方合法权益', keywords: /第三方/ },
  { key: 'deniedInternalAffairs', name: '（三）不予公开 5.属于三类内部事务信息', keywords: /内部事务/ },
  { key: 'deniedProcessInformation', name: '（三）不予公开 6.属于四类过程性信息', keywords: /过程性/ },
  { key: 'deniedEnforcementFile', name: '（三）不予公开 7.属于行政执法案卷', keywords: /执法案卷/ },
  { key: 'deniedQueryMatter', name: '（三）不予公开 8.属于行政查询事项', keywords: /查询事项/ },
  { key: 'unableNotHeld', name: '（四）无法提供 1.本机关不掌握相关政府信息', keywords: /不掌握/ },
  {
    key: 'unableNeedsCreation',
    name: '（四）无法提供 2.没有现成信息需要另行制作',
    keywords: /另行制作|没有现成/,
  },
  { key: 'unableStillUnclear', name: '（四）无法提供 3.补正后申请内容仍不明确', keywords: /仍不明确|补正后/ },
  { key: 'notProcessedPetition', name: '（五）不予处理 1.信访举报投诉类申请', keywords: /信访|举报投诉/ },
  { key: 'notProcessedRepeated', name: '（五）不予处理 2.重复申请', keywords: /重复申请/ },
  { key: 'notProcessedPublication', name: '（五）不予处理 3.要求提供公开出版物', keywords: /出版物/ },
  { key: 'notProcessedExcessive', name: '（五）不予处理 4.无正当理由大量反复申请', keywords: /大量反复/ },
  {
    key: 'notProcessedConfirmation',
    name: '（五）不予处理 5.要求行政机关确认或重新出具已获取信息',
    keywords: /重新出具|确认或重/,
  },
  { key: 'otherNoCorrection', name: '（六）其他处理 1.申请人无正当理由逾期不补正', keywords: /不补正/ },
  {
    key: 'otherUnpaidFee',
    name: '（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用',
    keywords: /缴纳费用|收费通知/,
  },
  { key: 'otherOther', name: '（六）其他处理 3.其他', keywords: /3[.、]其他$/ },
] as const satisfies readonly RowSpec<string>[];

export const REQUEST_ROWS = [
  { key: 'newReceived', name: '一、本年新收政府信息公开申请数量', keywords: /本年新收|新收政府信息公开申请/ },
  { key: 'carriedOverFromLastYear', name: '二、上年结转政府信息公开申请数量', keywords: /上年结转/ },
  ...RESULT_ROWS,
  { key: 'resultTotal', name: '（七）总计', keywords: /总计/ },
  { key: 'carriedOverToNextYear', name: '四、结转下年度继续办理', keywords: /结转下年/ },
] as const satisfies readonly RowSpec<string>[];

/** The 2019 template's single （六）其他处理 row; matched only when no sub-item keyword is present. */
export const OTHER_TOTAL_2019 = {
  key: 'otherTotal2019',
  name: '（六）其他处理',
  keywords: /其他处理/,
} as const satisfies RowSpec<string>;

export type RequestRow = (typeof REQUEST_ROWS)[number]['key'] | 'otherTotal2019';
export const RESULT_ROW_KEYS: readonly RequestRow[] = RESULT_ROWS.map((r) => r.key);
export const OTHER_SUB_ROWS: readonly RequestRow[] = ['otherNoCorrection', 'otherUnpaidFee', 'otherOther'];
/** All row keys a `requests` record holds, template order, `otherTotal2019` after the three it replaces. */
export const REQUEST_ROW_KEYS: readonly RequestRow[] = [
  ...REQUEST_ROWS.slice(0, 2 + RESULT_ROWS.length).map((r) => r.key),
  'otherTotal2019',
  'resultTotal',
  'carriedOverToNextYear',
];

export function requestRowName(key: RequestRow): string {
  if (key === 'otherTotal2019') return OTHER_TOTAL_2019.name;
  return REQUEST_ROWS.find((r) => r.key === key)?.name ?? key;
}

export const APPEAL_GROUPS = ['review', 'litigationDirect', 'litigationAfterReview'] as const;
export type AppealGroup = (typeof APPEAL_GROUPS)[number];
export const APPEAL_COLUMNS = ['upheld', 'corrected', 'other', 'pending', 'total'] as const;
export type AppealColumn = (typeof APPEAL_COLUMNS)[number];

export const APPEAL_GROUP_NAMES: Record<AppealGroup, string> = {
  review: '行政复议',
  litigationDirect: '行政诉讼（未经复议直接起诉）',
  litigationAfterReview: '行政诉讼（复议后起诉）',
};
export const APPEAL_COLUMN_NAMES: Record<AppealColumn, string> = {
  upheld: '结果维持',
  corrected: '结果纠正',
  other: '其他结果',
  pending: '尚未审结',
  total: '总计',
};

/**
 * What a value column holds: a `count` is a non-negative whole number, an `amount` (万元) may have
 * decimals, a `change` (本年增/减) may be negative.
 */
export type Quantity = 'count' | 'amount' | 'change';

export interface ColumnSpec {
  key: string;
  /** What a supervisor calls the column. */
  name: string;
  quantity: Quantity;
}

/** The printed header of section 2's first column (the rows' names). */
export const PROACTIVE_ROW_HEADER = '信息内容';

/** The printed header of a section-2 row of one number on the 2021 template, by what the number is. */
export const SINGLE_VALUE_HEADERS: Record<Exclude<Quantity, 'change'>, string> = {
  count: '本年处理决定数量',
  amount: '本年收费金额（单位：万元）',
};

export interface ProactiveRowSpec<K extends string = string> extends RowSpec<K> {
  /** The row's value columns, or null for a row of one number (a `quantity`). */
  columns: readonly ColumnSpec[] | null;
  quantity?: Quantity;
}

const DOCUMENTS_2021 = [
  { key: 'issued', name: '本年制发件数', quantity: 'count' },
  { key: 'repealed', name: '本年废止件数', quantity: 'count' },
  { key: 'inForce', name: '现行有效件数', quantity: 'count' },
] as const satisfies readonly ColumnSpec[];

/** Section 2 on the 2021 template: key, label, value columns (one-number rows have `null`). */
export const PROACTIVE_ROWS = [
  { key: 'regulations', name: '规章', keywords: /^规章$/, columns: DOCUMENTS_2021 },
  {
    key: 'normativeDocuments',
    name: '行政规范性文件',
    keywords: /^(?:行政)?规范性文件/,
    columns: DOCUMENTS_2021,
  },
  { key: 'licensing', name: '行政许可', keywords: /^行政许可/, columns: null, quantity: 'count' },
  { key: 'penalties', name: '行政处罚', keywords: /^行政处罚/, columns: null, quantity: 'count' },
  { key: 'coercion', name: '行政强制', keywords: /^行政强制/, columns: null, quantity: 'count' },
  {
    key: 'feesTenThousandYuan',
    name: '行政事业性收费',
    keywords: /^行政事业性收费/,
    columns: null,
    quantity: 'amount',
  },
] as const satisfies readonly ProactiveRowSpec[];
export type ProactiveRow = (typeof PROACTIVE_ROWS)[number]['key'];

const DOCUMENTS_2019 = [
  { key: 'newlyMade', name: '本年新制作数量', quantity: 'count' },
  { key: 'newlyPublished', name: '本年新公开数量', quantity: 'count' },
  { key: 'totalPublished', name: '对外公开总数量', quantity: 'count' },
] as const satisfies readonly ColumnSpec[];
const PREVIOUS_YEAR_ITEMS = { key: 'previousYearItems', name: '上一年项目数量', quantity: 'count' } as const;
const CHANGE_THIS_YEAR = { key: 'changeThisYear', name: '本年增/减', quantity: 'change' } as const;
const ITEMS_2019 = [
  PREVIOUS_YEAR_ITEMS,
  CHANGE_THIS_YEAR,
  { key: 'decisions', name: '处理决定数量', quantity: 'count' },
] as const satisfies readonly ColumnSpec[];

/**
 * Section 2 on the 2019 template (国办公开办函〔2019〕60号). Keys documented in docs/template.md
 * under `proactive2019`.
 */
export const PROACTIVE_2019_ROWS = [
  { key: 'regulations', name: '规章', keywords: /^规章$/, columns: DOCUMENTS_2019 },
  {
    key: 'normativeDocuments',
    name: '规范性文件',
    keywords: /^(?:行政)?规范性文件/,
    columns: DOCUMENTS_2019,
  },
  { key: 'licensing', name: '行政许可', keywords: /^行政许可$/, columns: ITEMS_2019 },
  {
    key: 'otherExternalServices',
    name: '其他对外管理服务事项',
    keywords: /^其他对外管理服务事项/,
    columns: ITEMS_2019,
  },
  { key: 'penalties', name: '行政处罚', keywords: /^行政处罚/, columns: ITEMS_2019 },
  { key: 'coercion', name: '行政强制', keywords: /^行政强制/, columns: ITEMS_2019 },
  {
    key: 'fees',
    name: '行政事业性收费',
    keywords: /^行政事业性收费/,
    columns: [PREVIOUS_YEAR_ITEMS, CHANGE_THIS_YEAR],
  },
  {
    key: 'centralizedProcurement',
    name: '政府集中采购',
    keywords: /^政府集中采购/,
    columns: [
      { key: 'projects', name: '采购项目数量', quantity: 'count' },
      { key: 'amountTenThousandYuan', name: '采购总金额', quantity: 'amount' },
    ],
  },
] as const satisfies readonly ProactiveRowSpec[];
export type Proactive2019Row = (typeof PROACTIVE_2019_ROWS)[number]['key'];

export const TEMPLATES = ['2021', '2019'] as const;
/** Which national template a report follows; section 2 is where the two differ. */
export type Template = (typeof TEMPLATES)[number];

/** A section-2 row key on either template. */
export type ProactiveKey = ProactiveRow | Proactive2019Row;

/** Section 2's rows on a template. */
export function proactiveRows(template: Template): readonly ProactiveRowSpec<ProactiveKey>[] {
  return template === '2019' ? PROACTIVE_2019_ROWS : PROACTIVE_ROWS;
}

export const TABLES = ['proactive', 'requests', 'appeals'] as const;
export type TableName = (typeof TABLES)[number];

/**
 * The Chinese name of a table's row (appeals: group) or column key on a template, or undefined for a key
 * the template does not have. Messages, locations and pages name cells through this.
 */
export function rowName(template: Template, table: TableName, key: string): string | undefined {
  if (table === 'requests') return isKey(REQUEST_ROW_KEYS, key) ? requestRowName(key) : undefined;
  if (table === 'appeals') return isKey(APPEAL_GROUPS, key) ? APPEAL_GROUP_NAMES[key] : undefined;
  return proactiveRows(template).find((r) => r.key === key)?.name;
}

export function columnName(template: Template, table: TableName, key: string): string | undefined {
  if (table === 'requests') return isKey(REQUEST_COLUMNS, key) ? REQUEST_COLUMN_NAMES[key] : undefined;
  if (table === 'appeals') return isKey(APPEAL_COLUMNS, key) ? APPEAL_COLUMN_NAMES[key] : undefined;
  for (const row of proactiveRows(template)) {
    const column = row.columns?.find((c) => c.key === key);
    if (column !== undefined) return column.name;
  }
  return undefined;
}

/** An object with one entry per key, in the keys' order. */
export function fromKeys<const K extends string, V>(keys: readonly K[], value: (key: K, index: number) => V) {
  // The one cast: Object.fromEntries returns string keys; every key of K is there by construction.
  return Object.fromEntries(keys.map((k, i) => [k, value(k, i)])) as Record<K, V>;
}

/** Narrows a string to one of `keys`. */
export function isKey<K extends string>(keys: readonly K[], value: string): value is K {
  return keys.some((k) => k === value);
}

/** Header words that exist only on the 2019 template's section 2. */
export const PROACTIVE_2019_HEADER =
  /本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|政府集中采购/;
