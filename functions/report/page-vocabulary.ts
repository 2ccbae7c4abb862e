import { CODES, ISSUE_CODES } from './codes.ts';
import { SECTION_NAMES, SEVERITY_NAMES, STATUS_NAMES } from './describe.ts';
import {
  APPEAL_COLUMN_NAMES,
  APPEAL_COLUMNS,
  APPEAL_GROUP_NAMES,
  APPEAL_GROUPS,
  fromKeys,
  OTHER_SUB_ROWS,
  OTHER_TOTAL_2019,
  PROACTIVE_ROW_HEADER,
  proactiveRows,
  REQUEST_COLUMN_NAMES,
  REQUEST_COLUMNS,
  REQUEST_ROW_KEYS,
  requestRowName,
  SECTIONS,
  SINGLE_VALUE_HEADERS,
  TEMPLATES,
  type Template,
} from './template.ts';

/**
 * The template's words as JSON, for pages (served as /template-vocabulary.json, embedded by
 * `check --html`): the browser cannot import TypeScript, and a second hand-written copy of row and column
 * names would drift. Everything here is derived from template.ts, describe.ts and codes.ts; nothing is new.
 * local/web/report-view.js renders a record with it.
 */
export interface Named {
  key: string;
  name: string;
}

export interface PageVocabulary {
  sections: { number: number; title: string; name: string }[];
  /** 全文 for section 0, 第一部分 … 第六部分. */
  sectionNames: readonly string[];
  statuses: Record<string, string>;
  severities: Record<string, string>;
  codes: Record<string, { meaning: string }>;
  templates: Record<
    Template,
    {
      /** Section 2's rows; `columns` null for a row of one number, whose header is `header`. */
      proactive: { key: string; name: string; columns: Named[] | null; header: string | null }[];
      /** The header over section 2's row names. */
      proactiveRowHeader: string;
      requests: { rows: Named[]; columns: Named[] };
      appeals: { groups: Named[]; columns: Named[] };
    }
  >;
  /** The 2019 row set: one （六）其他处理 row in place of its three sub-rows. */
  otherRows: { total2019: string; subRows: readonly string[] };
  /** The review of findings by a supervisor (issue 15): its words on the upload and supervisor pages. */
  review: typeof REVIEW_WORDS;
}

/**
 * A finding's review state (OPEN: no decision yet), the report's `reviewStatus` and the actions' words.
 * The pages show these beside the machine's status (合格 / 有错误), never in its place.
 */
export const REVIEW_WORDS = {
  decisions: { OPEN: '待审核', CONFIRMED: '须更正', DISMISSED: '已核销' },
  statuses: { ACCEPTED: '审核通过', CHANGES_REQUESTED: '需要更正', PENDING_REVIEW: '待审核' },
  /** Confirmed findings that a later upload no longer has. */
  fixed: '已更正',
  actions: { DISMISSED: '核销', CONFIRMED: '确认须更正' },
  reasons: { DISMISSED: '核销理由', CONFIRMED: '更正要求' },
} as const;

const named = <K extends string>(keys: readonly K[], name: (k: K) => string): Named[] =>
  keys.map((key) => ({ key, name: name(key) }));

function templateWords(template: Template): PageVocabulary['templates'][Template] {
  return {
    proactive: proactiveRows(template).map((row) => ({
      key: row.key,
      name: row.name,
      columns: row.columns === null ? null : row.columns.map((c) => ({ key: c.key, name: c.name })),
      header:
        row.columns === null && row.quantity !== undefined && row.quantity !== 'change'
          ? SINGLE_VALUE_HEADERS[row.quantity]
          : null,
    })),
    proactiveRowHeader: PROACTIVE_ROW_HEADER,
    requests: {
      rows: named(REQUEST_ROW_KEYS, requestRowName),
      columns: named(REQUEST_COLUMNS, (k) => REQUEST_COLUMN_NAMES[k]),
    },
    appeals: {
      groups: named(APPEAL_GROUPS, (k) => APPEAL_GROUP_NAMES[k]),
      columns: named(APPEAL_COLUMNS, (k) => APPEAL_COLUMN_NAMES[k]),
    },
  };
}

export function pageVocabulary(): PageVocabulary {
  return {
    sections: SECTIONS.map((s) => ({ ...s, name: SECTION_NAMES[s.number] ?? s.title })),
    sectionNames: SECTION_NAMES,
    statuses: STATUS_NAMES,
    severities: SEVERITY_NAMES,
    codes: fromKeys(ISSUE_CODES, (code) => ({ meaning: CODES[code].meaning })),
    templates: fromKeys(TEMPLATES, templateWords),
    otherRows: { total2019: OTHER_TOTAL_2019.key, subRows: OTHER_SUB_ROWS },
    review: REVIEW_WORDS,
  };
}
