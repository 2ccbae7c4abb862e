import type { ReportRecord } from '../record.ts';
import type { Finding } from './section-text.ts';

/** Both years at least this much, and one more than FACTOR times the other. */
export const UNUSUAL_MIN = 20;
export const UNUSUAL_FACTOR = 5;

type Figure = {
  value: number | null;
  section: 2 | 3;
  table: 'proactive' | 'requests';
  row: string;
  column?: string;
  name: string;
};

/** The figures compared year over year; 2019-template reports give their 处理决定数量. */
function figures(r: ReportRecord): Figure[] {
  const decisions = (key: 'licensing' | 'penalties') =>
    r.proactive !== null ? r.proactive[key] : (r.proactive2019?.[key]?.decisions ?? null);
  return [
    {
      value: r.requests?.newReceived?.total ?? null,
      section: 3,
      table: 'requests',
      row: 'newReceived',
      column: 'total',
      name: '第三部分表格"本年新收政府信息公开申请数量·总计"',
    },
    {
      value: decisions('licensing'),
      section: 2,
      table: 'proactive',
      row: 'licensing',
      name: '第二部分表格"行政许可"处理决定数量',
    },
    {
      value: decisions('penalties'),
      section: 2,
      table: 'proactive',
      row: 'penalties',
      name: '第二部分表格"行政处罚"处理决定数量',
    },
  ];
}

/**
 * UNUSUAL_CHANGE (info): a figure that grew or shrank more than UNUSUAL_FACTOR-fold from last year, both
 * years at least UNUSUAL_MIN. Often real (a reorganisation, a campaign), so it is for a reviewer's eye
 * only: no status change, no message.
 */
export function unusualChangeIssues(current: ReportRecord, previous: ReportRecord | null): Finding[] {
  if (previous === null) return [];
  const before = figures(previous);
  const out: Finding[] = [];
  for (const [i, f] of figures(current).entries()) {
    const last = before[i]?.value ?? null;
    const now = f.value;
    if (now === null || last === null || now < UNUSUAL_MIN || last < UNUSUAL_MIN) continue;
    if (Math.max(now, last) <= UNUSUAL_FACTOR * Math.min(now, last)) continue;
    const ratio = now > last ? `增至${(now / last).toFixed(1)}倍` : `降至${((now / last) * 100).toFixed(0)}%`;
    out.push({
      code: 'UNUSUAL_CHANGE',
      section: f.section,
      table: f.table,
      row: f.row,
      ...(f.column === undefined ? {} : { column: f.column }),
      expected: last,
      actual: now,
      message: `${f.name}由${previous.year ?? '上一'}年度的${last}变为${now}（${ratio}），变化异常，请核对`,
    });
  }
  return out;
}
