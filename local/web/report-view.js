/**
 * One report as the pipeline read it: tables 二, 三 and 四 in the template's layout with every finding's
 * cells marked, the findings listed under their table (each linking to its cell), and the sections found
 * and missing as a checklist. Used by the upload page, `report-pipeline check --html` and any other page
 * (plain ES module, no dependencies, runs in browsers and in Node).
 *
 *   render(record, vocabulary, { idPrefix, review }) → HTML string (style it with report-view.css)
 *
 * `record` is a ReportRecord (schema/report-record.schema.json), e.g. `GET /uploads/{id}`'s `record`;
 * `vocabulary` is functions/report/page-vocabulary.ts's pageVocabulary(), served as
 * /template-vocabulary.json: every Chinese row, column, section and status name comes from there.
 * `idPrefix` keeps element ids apart when a page shows several reports.
 *
 * The record alone decides what a cell shows: a number; a null cell covered by a finding (blank, invalid,
 * unreadable) is drawn empty and marked; a null cell no finding covers was printed "/" (not applicable) and
 * is drawn as "/". Cells of a finding carry `data-table`, `data-row` (appeals: `data-group`) and
 * `data-column`, `tabindex="0"`, the message as a tooltip on hover and focus, and `aria-describedby` naming
 * the finding in the list.
 *
 * The supervisors' review (issue 15), when the record comes from the API: each finding may carry
 * `fingerprint` and `review` ({decision, reason, reviewer, office, at} or null). `options.review` is
 * `{ status, fixed }` — the response's `reviewStatus` and `fixed` (confirmed findings a later upload no longer
 * has). With it (or with any finding carrying `review`), each listed finding says in words whether it is
 * 待审核, 须更正 or 已核销 (with the reviewer's reason) and carries `data-review` and `data-fingerprint`; the
 * header shows the review status beside the machine status (never in its place); an 已更正 list names the
 * fixed findings. Without it (`check --html`) nothing of the review is drawn.
 */

import { escapeHtml as esc } from './escape.js';

const RANK = { error: 0, warning: 1, info: 2 };
const TABLE_SECTION = { proactive: 2, requests: 3, appeals: 4 };
const ALL_COLUMNS = '*';

/** The cells a finding is about: its blank run's `cells`, else its own row/group and column. */
function placesOf(issue) {
  const own = { row: issue.row ?? issue.group, column: issue.column };
  if (!Array.isArray(issue.cells) || issue.cells.length === 0) return [own];
  return issue.cells.map((c) => ({ row: c.row ?? c.group ?? own.row, column: c.column ?? own.column }));
}

const cellKey = (table, row, column) => `${table}|${row}|${column ?? ALL_COLUMNS}`;

/** A finding's review state: OPEN (no decision yet), CONFIRMED or DISMISSED. */
export function reviewState(issue) {
  const decision = issue?.review?.decision;
  return decision === 'CONFIRMED' || decision === 'DISMISSED' ? decision : 'OPEN';
}

/** Beijing time as `2025-03-20 10:00` (functions/pipeline/china-time.ts's form). */
export function chinaTime(iso) {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return '';
  const d = new Date(t + 8 * 3600_000).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 16)}`;
}

/** Who decided and when: the office (its name when the API gives one), the reviewer, Beijing time. */
function decidedBy(review) {
  const who = [review.officeName ?? review.office, review.reviewer]
    .filter((x) => x !== undefined && x !== null && x !== '')
    .join(' ');
  const when = review.at ? chinaTime(review.at) : '';
  return [who, when].filter((x) => x !== '').join(' · ');
}

/**
 * A finding's review in words (not colour alone): the state, and for a decision its reason and who made it.
 * `tag` names the element that holds it.
 */
export function reviewText(issue, vocabulary, tag = 'span') {
  const words = vocabulary.review;
  const state = reviewState(issue);
  const label = `<${tag} class="rv-review rv-review-${state}" data-review-state="${state}">${esc(words.decisions[state])}</${tag}>`;
  if (state === 'OPEN') return label;
  const review = issue.review;
  const by = decidedBy(review);
  return `${label} <span class="rv-reason" data-review-reason>${esc(words.reasons[state])}：${esc(review.reason ?? '')}${by === '' ? '' : `<span class="rv-by">（${esc(by)}）</span>`}</span>${history(issue, vocabulary)}`;
}

/** Earlier decisions on the finding (the API keeps them all; the latest is the one shown above). */
function history(issue, vocabulary) {
  const list = Array.isArray(issue.history) ? issue.history : [];
  if (list.length < 2) return '';
  const items = list.map((d) => {
    const by = decidedBy(d);
    return `<li>${esc(vocabulary.review.decisions[d.decision] ?? d.decision)}：${esc(d.reason ?? '')}${by === '' ? '' : `（${esc(by)}）`}</li>`;
  });
  return `<details class="rv-history"><summary>审核记录 ${list.length} 条</summary><ol>${items.join('')}</ol></details>`;
}

/** Everything one render needs to know about the record's findings. */
function indexFindings(record, prefix) {
  const shown = (record.issues ?? [])
    .filter((i) => i.severity !== 'info')
    .map((issue, n) => ({ issue, n }))
    .sort((a, b) => RANK[a.issue.severity] - RANK[b.issue.severity] || a.n - b.n)
    .map(({ issue }, i) => ({ issue, id: `${prefix}-f${i + 1}`, target: null }));
  const byCell = new Map();
  for (const finding of shown) {
    const { table } = finding.issue;
    if (table === undefined) continue;
    for (const place of placesOf(finding.issue)) {
      if (place.row === undefined) continue;
      const key = cellKey(table, place.row, place.column);
      byCell.set(key, [...(byCell.get(key) ?? []), finding]);
    }
  }
  return { shown, byCell };
}

/**
 * An API answer (`GET /uploads/{id}`, `GET /supervision/{year}/{agencyId}`, the review POST's answer) as
 * render's arguments: its `record` with the answer's `issues` (the record's findings, each with its
 * `fingerprint`, `review` and `history`) and `{ status: reviewStatus, fixed }` when the answer has a review.
 */
export function reviewedView(answer) {
  const record = answer?.record ?? null;
  if (record === null) return { record: null, review: null };
  const reviewed = answer.reviewStatus !== undefined || Array.isArray(answer.fixed);
  const issues = Array.isArray(answer.issues) && reviewed ? answer.issues : record.issues;
  return {
    record: { ...record, issues },
    review: reviewed ? { status: answer.reviewStatus ?? null, fixed: answer.fixed ?? [] } : null,
  };
}

/** A report's view as an HTML string. */
export function render(record, vocabulary, options = {}) {
  const prefix = String(options.idPrefix ?? 'rv').replace(/[^A-Za-z0-9_-]/g, '_');
  const v = vocabulary;
  const template = v.templates[record.template] ? record.template : '2021';
  const words = v.templates[template];
  const findings = indexFindings(record, prefix);
  const status = record.status;
  const review = reviewOptions(record, options.review);
  const out = [];
  const reviewAttr = review?.status ? ` data-review-status="${esc(review.status)}"` : '';
  out.push(`<article class="rv" data-status="${esc(status)}"${reviewAttr} id="${prefix}">`);
  out.push(header(record, v, review, findings));
  if (status === 'FAILED') {
    out.push(
      `<p class="rv-failure">${esc(record.failure?.message ?? '')} <code>${esc(record.failure?.code ?? '')}</code></p>`,
    );
    out.push('</article>');
    return out.join('');
  }
  out.push(checklist(record, v));
  if (review !== null && review.fixed.length > 0) out.push(fixedList(review.fixed, v, template, prefix));
  const general = findings.shown.filter((f) => f.issue.table === undefined);
  if (general.length > 0) {
    out.push(
      `<section class="rv-part"><h3>全文及各部分</h3>${findingList(general, v, template, undefined, review)}</section>`,
    );
  }
  const ctx = { prefix, findings, record, words, v, review };
  out.push(tableSection('proactive', v, proactiveTable(ctx), ctx, template));
  out.push(tableSection('requests', v, requestsTable(ctx), ctx, template));
  out.push(tableSection('appeals', v, appealsTable(ctx), ctx, template));
  out.push('</article>');
  return out.join('');
}

/**
 * The review to draw, or null: `options.review` ({status, fixed}), else a record whose findings carry
 * `review` (drawn without a status).
 */
function reviewOptions(record, given) {
  if (given !== undefined && given !== null) {
    return { status: given.status ?? null, fixed: Array.isArray(given.fixed) ? given.fixed : [] };
  }
  const reviewed = (record.issues ?? []).some((i) => i !== null && typeof i === 'object' && 'review' in i);
  return reviewed ? { status: null, fixed: [] } : null;
}

function header(record, v, review, findings) {
  const status = record.status;
  const counts =
    status === 'FAILED'
      ? ''
      : `　错误 ${record.summary?.errors ?? 0} 项，警告 ${record.summary?.warnings ?? 0} 项`;
  const title = record.title ?? record.source?.file ?? '';
  // The review status stands beside the machine status, in words, and never replaces it.
  const badge =
    review?.status && v.review?.statuses[review.status]
      ? `<span class="rv-review-status rv-rs-${esc(review.status)}" data-review-status="${esc(review.status)}">审核：${esc(v.review.statuses[review.status])}</span>`
      : '';
  let tally = '';
  if (review !== null && status !== 'FAILED' && v.review) {
    const n = { OPEN: 0, CONFIRMED: 0, DISMISSED: 0 };
    for (const f of findings.shown) n[reviewState(f.issue)]++;
    const parts = ['OPEN', 'CONFIRMED', 'DISMISSED'].map(
      (s) => `<span data-review-count="${s}">${esc(v.review.decisions[s])} ${n[s]} 项</span>`,
    );
    if (review.fixed.length > 0)
      parts.push(`<span data-review-count="FIXED">${esc(v.review.fixed)} ${review.fixed.length} 项</span>`);
    tally = `<p class="rv-meta rv-review-tally">审核情况：${parts.join('，')}</p>`;
  }
  return `<header class="rv-header"><h2 class="rv-title">${esc(title)}</h2>
<p class="rv-meta"><span class="rv-status rv-${esc(status)}">${esc(v.statuses[status] ?? status)}（${esc(status)}）</span>${badge}
机关：${esc(record.agency ?? '未识别')}　年度：${esc(record.year ?? '未识别')}　模板：${esc(record.template ?? '未识别')}年版${counts}</p>${tally}</header>`;
}

/** Confirmed findings that this upload no longer has: the agency corrected them. */
function fixedList(fixed, v, template, prefix) {
  const words = v.templates[template];
  const items = fixed.map((issue) => {
    // The API names a fixed finding by its code (its message belonged to an earlier upload's record).
    const where = issue.section === undefined ? '' : `${esc(location(issue, v, words))}：`;
    const what = issue.message ?? v.codes?.[issue.code]?.meaning ?? '';
    const review = issue.review ?? null;
    const was =
      review === null
        ? ''
        : ` <span class="rv-reason">${esc(v.review.reasons.CONFIRMED)}：${esc(review.reason ?? '')}</span>`;
    return `<li data-fingerprint="${esc(issue.fingerprint ?? '')}" data-review="FIXED"><span class="rv-review rv-review-FIXED">${esc(v.review.fixed)}</span> ${where}${esc(what)} <code>${esc(issue.code ?? '')}</code>${was}</li>`;
  });
  return `<section class="rv-part rv-fixed" id="${esc(prefix)}-fixed"><h3>${esc(v.review.fixed)}（此前须更正，本次上传已不再出现）</h3><ol class="rv-findings">${items.join('')}</ol></section>`;
}

function checklist(record, v) {
  const byNumber = new Map((record.sections ?? []).map((s) => [s.number, s]));
  const items = v.sections.map((s) => {
    const found = byNumber.get(s.number)?.found === true;
    const printed = byNumber.get(s.number)?.title;
    return `<li class="${found ? 'rv-found' : 'rv-missing'}" data-section="${s.number}"><span class="rv-check" aria-hidden="true">${found ? '✓' : '✗'}</span> ${esc(found && printed ? printed : s.title)}${found ? '' : '（未找到）'}</li>`;
  });
  return `<section class="rv-part"><h3>各部分</h3><ul class="rv-checklist">${items.join('')}</ul></section>`;
}

function tableSection(table, v, body, ctx, template) {
  const id = `${ctx.prefix}-${table}`;
  const own = ctx.findings.shown.filter((f) => f.issue.table === table);
  const section = v.sections.find((s) => s.number === TABLE_SECTION[table]);
  const list =
    own.length === 0
      ? '<p class="rv-none">本表未发现问题</p>'
      : findingList(own, v, template, id, ctx.review);
  return `<section class="rv-part rv-table-part" id="${id}" data-table="${table}"><h3>${esc(section?.title ?? table)}</h3>${body}${list}</section>`;
}

function findingList(list, v, template, fallback, review) {
  const words = v.templates[template];
  const items = list.map((f) => {
    const where = location(f.issue, v, words);
    const target = f.target ?? fallback;
    const place = target ? `<a href="#${esc(target)}">${esc(where)}</a>` : esc(where);
    const reviewed = review && v.review;
    const attrs = reviewed
      ? ` data-review="${reviewState(f.issue)}" data-fingerprint="${esc(f.issue.fingerprint ?? '')}"`
      : '';
    const state = reviewed ? ` ${reviewText(f.issue, v)}` : '';
    return `<li id="${esc(f.id)}" class="rv-${esc(f.issue.severity)}"${attrs}><span class="rv-sev">${esc(v.severities[f.issue.severity] ?? f.issue.severity)}</span> ${place}：${esc(f.issue.message)} <code>${esc(f.issue.code)}</code>${state}</li>`;
  });
  return `<ol class="rv-findings">${items.join('')}</ol>`;
}

function location(issue, v, words) {
  const parts = [v.sectionNames[issue.section] ?? `第${issue.section}部分`];
  const find = (list, key) => list.find((x) => x.key === key)?.name ?? key;
  if (issue.table === 'requests') {
    if (issue.row !== undefined) parts.push(find(words.requests.rows, issue.row));
    if (issue.column !== undefined) parts.push(find(words.requests.columns, issue.column));
  } else if (issue.table === 'appeals') {
    if (issue.group !== undefined) parts.push(find(words.appeals.groups, issue.group));
    if (issue.column !== undefined) parts.push(find(words.appeals.columns, issue.column));
  } else if (issue.table === 'proactive') {
    const row = words.proactive.find((r) => r.key === issue.row);
    if (row !== undefined) parts.push(row.name);
    if (issue.column !== undefined) parts.push(find(row?.columns ?? [], issue.column));
  }
  return parts.join(' · ');
}

/**
 * One cell: its value as read, or blank / "/" / a note when null, marked by the findings on it (the worse
 * severity colours it). `rowAttr` is `row` or `group`.
 */
function cell(ctx, table, rowAttr, row, column, value, extra = '') {
  const { byCell } = ctx.findings;
  const on = [
    ...(byCell.get(cellKey(table, row, column)) ?? []),
    ...(column === undefined ? [] : (byCell.get(cellKey(table, row)) ?? [])),
  ];
  const id = `${ctx.prefix}-${table}-${row}-${column ?? 'value'}`;
  const attrs = `id="${esc(id)}" data-table="${table}" data-${rowAttr}="${esc(row)}" data-column="${esc(column ?? '')}"${extra}`;
  let shown;
  let kind;
  if (typeof value === 'number') {
    shown = esc(value);
    kind = 'rv-num';
  } else if (value === 'absent') {
    shown = '（报告中没有此行）';
    kind = 'rv-absent';
  } else if (on.length > 0) {
    shown = '';
    kind = 'rv-blank';
  } else {
    shown = '/';
    kind = 'rv-na';
  }
  if (on.length === 0) {
    const title = kind === 'rv-na' ? ' title="不适用（报告中为“/”或“—”）"' : '';
    return `<td class="rv-cell ${kind}" ${attrs}${title}>${shown}</td>`;
  }
  for (const f of on) f.target ??= id;
  const worst = on.reduce((a, f) => (RANK[f.issue.severity] < RANK[a] ? f.issue.severity : a), 'info');
  // Under review, a cell whose findings are all dismissed is drawn muted, and each message says its state.
  const reviewed = ctx.review && ctx.v.review;
  const states = on.map((f) => reviewState(f.issue));
  const cellReview = !reviewed
    ? ''
    : states.every((s) => s === 'DISMISSED')
      ? 'DISMISSED'
      : states.includes('CONFIRMED')
        ? 'CONFIRMED'
        : 'OPEN';
  const messages = on.map((f, i) =>
    reviewed ? `【${ctx.v.review.decisions[states[i]]}】${f.issue.message}` : f.issue.message,
  );
  const reviewAttrs = reviewed
    ? ` data-review="${cellReview}"${cellReview === 'DISMISSED' ? ' data-dismissed="true"' : ''}`
    : '';
  const muted = cellReview === 'DISMISSED' ? ' rv-dismissed' : '';
  return `<td class="rv-cell ${kind} rv-marked rv-${worst}${muted}" ${attrs} tabindex="0" data-severity="${worst}"${reviewAttrs} aria-describedby="${on.map((f) => f.id).join(' ')}" title="${esc(messages.join('\n'))}">${shown}<span class="rv-tip" aria-hidden="true">${messages.map(esc).join('<br>')}</span></td>`;
}

function missingTable() {
  return '<p class="rv-no-table">未读到此表</p>';
}

function proactiveTable(ctx) {
  const { record, words } = ctx;
  const data = record.template === '2019' ? record.proactive2019 : record.proactive;
  if (data === null || data === undefined) return missingTable();
  const width = Math.max(...words.proactive.map((r) => r.columns?.length ?? 1));
  const rows = [];
  let lastHeader = null;
  for (const spec of words.proactive) {
    const names = spec.columns === null ? [spec.header ?? ''] : spec.columns.map((c) => c.name);
    const signature = names.join('|');
    if (signature !== lastHeader) {
      const ths = names.map(
        (n, i) =>
          `<th scope="col"${i === names.length - 1 && names.length < width ? ` colspan="${width - names.length + 1}"` : ''}>${esc(n)}</th>`,
      );
      rows.push(
        `<tr class="rv-head"><th scope="col">${esc(words.proactiveRowHeader)}</th>${ths.join('')}</tr>`,
      );
      lastHeader = signature;
    }
    const value = data[spec.key];
    const span = (i, n) => (i === n - 1 && n < width ? ` colspan="${width - n + 1}"` : '');
    let tds;
    if (spec.columns === null)
      tds = cell(ctx, 'proactive', 'row', spec.key, undefined, value ?? null, span(0, 1));
    else if (value === null || value === undefined)
      tds = cell(ctx, 'proactive', 'row', spec.key, undefined, 'absent', ` colspan="${width}"`);
    else
      tds = spec.columns
        .map((c, i) =>
          cell(ctx, 'proactive', 'row', spec.key, c.key, value[c.key] ?? null, span(i, spec.columns.length)),
        )
        .join('');
    rows.push(`<tr data-row="${esc(spec.key)}"><th scope="row">${esc(spec.name)}</th>${tds}</tr>`);
  }
  return `<div class="rv-scroll"><table class="rv-table rv-proactive" data-template="${esc(record.template ?? '')}"><tbody>${rows.join('')}</tbody></table></div>`;
}

function requestsTable(ctx) {
  const { record, words, v } = ctx;
  const data = record.requests;
  if (data === null || data === undefined) return missingTable();
  const { total2019, subRows } = v.otherRows;
  // The 2019 row set prints （六）其他处理 as one row; the record says which one the report printed.
  const rowSet2019 =
    data[total2019] != null || (record.template === '2019' && subRows.every((k) => data[k] == null));
  const rows = words.requests.rows.filter((r) =>
    rowSet2019 ? !subRows.includes(r.key) : r.key !== total2019,
  );
  const head = `<thead><tr><th scope="col"></th>${words.requests.columns.map((c) => `<th scope="col">${esc(c.name)}</th>`).join('')}</tr></thead>`;
  const body = rows.map((r) => {
    const values = data[r.key];
    const tds =
      values === null || values === undefined
        ? cell(
            ctx,
            'requests',
            'row',
            r.key,
            undefined,
            'absent',
            ` colspan="${words.requests.columns.length}"`,
          )
        : words.requests.columns
            .map((c) => cell(ctx, 'requests', 'row', r.key, c.key, values[c.key] ?? null))
            .join('');
    return `<tr data-row="${esc(r.key)}"><th scope="row">${esc(r.name)}</th>${tds}</tr>`;
  });
  return `<div class="rv-scroll"><table class="rv-table rv-requests">${head}<tbody>${body.join('')}</tbody></table></div>`;
}

function appealsTable(ctx) {
  const { record, words } = ctx;
  const data = record.appeals;
  if (data === null || data === undefined) return missingTable();
  const n = words.appeals.columns.length;
  const groups = words.appeals.groups
    .map((g) => `<th scope="colgroup" colspan="${n}">${esc(g.name)}</th>`)
    .join('');
  const columns = words.appeals.groups
    .map(() => words.appeals.columns.map((c) => `<th scope="col">${esc(c.name)}</th>`).join(''))
    .join('');
  const tds = words.appeals.groups
    .map((g) =>
      words.appeals.columns
        .map((c) => cell(ctx, 'appeals', 'group', g.key, c.key, data[g.key]?.[c.key] ?? null))
        .join(''),
    )
    .join('');
  return `<div class="rv-scroll"><table class="rv-table rv-appeals"><thead><tr>${groups}</tr><tr>${columns}</tr></thead><tbody><tr>${tds}</tr></tbody></table></div>`;
}
