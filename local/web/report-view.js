/**
 * One report as the pipeline read it: tables 二, 三 and 四 in the template's layout with every finding's
 * cells marked, the findings listed under their table (each linking to its cell), and the sections found
 * and missing as a checklist. Used by the upload page, `report-pipeline check --html` and any other page
 * (plain ES module, no dependencies, runs in browsers and in Node).
 *
 *   render(record, vocabulary, { idPrefix }) → HTML string (style it with report-view.css)
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
 */

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (value) => String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);
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

/** A report's view as an HTML string. */
export function render(record, vocabulary, options = {}) {
  const prefix = String(options.idPrefix ?? 'rv').replace(/[^A-Za-z0-9_-]/g, '_');
  const v = vocabulary;
  const template = v.templates[record.template] ? record.template : '2021';
  const words = v.templates[template];
  const findings = indexFindings(record, prefix);
  const status = record.status;
  const out = [];
  out.push(`<article class="rv" data-status="${esc(status)}" id="${prefix}">`);
  out.push(header(record, v));
  if (status === 'FAILED') {
    out.push(
      `<p class="rv-failure">${esc(record.failure?.message ?? '')} <code>${esc(record.failure?.code ?? '')}</code></p>`,
    );
    out.push('</article>');
    return out.join('');
  }
  out.push(checklist(record, v));
  const general = findings.shown.filter((f) => f.issue.table === undefined);
  if (general.length > 0) {
    out.push(`<section class="rv-part"><h3>全文及各部分</h3>${findingList(general, v, template)}</section>`);
  }
  const ctx = { prefix, findings, record, words, v };
  out.push(tableSection('proactive', v, proactiveTable(ctx), ctx, template));
  out.push(tableSection('requests', v, requestsTable(ctx), ctx, template));
  out.push(tableSection('appeals', v, appealsTable(ctx), ctx, template));
  out.push('</article>');
  return out.join('');
}

function header(record, v) {
  const status = record.status;
  const counts =
    status === 'FAILED'
      ? ''
      : `　错误 ${record.summary?.errors ?? 0} 项，警告 ${record.summary?.warnings ?? 0} 项`;
  const title = record.title ?? record.source?.file ?? '';
  return `<header class="rv-header"><h2 class="rv-title">${esc(title)}</h2>
<p class="rv-meta"><span class="rv-status rv-${esc(status)}">${esc(v.statuses[status] ?? status)}（${esc(status)}）</span>
机关：${esc(record.agency ?? '未识别')}　年度：${esc(record.year ?? '未识别')}　模板：${esc(record.template ?? '未识别')}年版${counts}</p></header>`;
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
  const list = own.length === 0 ? '<p class="rv-none">本表未发现问题</p>' : findingList(own, v, template, id);
  return `<section class="rv-part rv-table-part" id="${id}" data-table="${table}"><h3>${esc(section?.title ?? table)}</h3>${body}${list}</section>`;
}

function findingList(list, v, template, fallback) {
  const words = v.templates[template];
  const items = list.map((f) => {
    const where = location(f.issue, v, words);
    const target = f.target ?? fallback;
    const place = target ? `<a href="#${esc(target)}">${esc(where)}</a>` : esc(where);
    return `<li id="${esc(f.id)}" class="rv-${esc(f.issue.severity)}"><span class="rv-sev">${esc(v.severities[f.issue.severity] ?? f.issue.severity)}</span> ${place}：${esc(f.issue.message)} <code>${esc(f.issue.code)}</code></li>`;
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
  const messages = on.map((f) => f.issue.message);
  return `<td class="rv-cell ${kind} rv-marked rv-${worst}" ${attrs} tabindex="0" data-severity="${worst}" aria-describedby="${on.map((f) => f.id).join(' ')}" title="${esc(messages.join('\n'))}">${shown}<span class="rv-tip" aria-hidden="true">${messages.map(esc).join('<br>')}</span></td>`;
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
