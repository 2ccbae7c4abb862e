/**
 * The supervisor page: GET /supervision/{year} with a supervisor's token, the counts, a filterable table
 * of the agencies under the office, the CSV download (fetched with the token, saved as a file) and, on a
 * click on an agency, its findings from GET /supervision/{year}/{agencyId}. The labels come from the API;
 * the findings' table view is report-view.js (the upload page's), loaded when the server provides it.
 */
const $ = (id) => document.getElementById(id);
const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (value) => String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);
// Beijing time as functions/pipeline/china-time.ts writes it (the CSV, the CLI); a static page imports no
// TypeScript, so the rule is repeated here and the page test reads an upload's time in this form.
const chinaTime = (iso) => {
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 16)}`;
};

const FILTERS = {
  all: () => true,
  'not-submitted': (a) => a.status === 'NOT_SUBMITTED',
  late: (a) => a.late,
  invalid: (a) => a.status === 'INVALID',
};

let current = null;
let filter = 'all';

$('year').value = new Date().getFullYear() - 1;
const params = new URLSearchParams(location.search);
if (params.get('token')) $('token').value = params.get('token');
if (params.get('year')) $('year').value = params.get('year');

const headers = (accept) => ({ authorization: `Bearer ${$('token').value.trim()}`, accept });

async function load() {
  $('message').textContent = '';
  $('findings').hidden = true;
  const year = $('year').value;
  const response = await fetch(`/supervision/${encodeURIComponent(year)}`, {
    headers: headers('application/json'),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    current = null;
    $('result').hidden = true;
    $('csv').disabled = true;
    $('message').textContent =
      response.status === 401 ? '令牌无效' : (body.message ?? `查询失败（${response.status}）`);
    return;
  }
  current = body;
  $('csv').disabled = false;
  $('result').hidden = false;
  $('heading').textContent = `${body.officeName} ${body.year}年度`;
  const c = body.counts;
  const L = body.labels.status;
  $('counts').innerHTML = [
    ['total', '机关总数', c.total],
    ['VALID', L.VALID, c.VALID],
    ['INVALID', L.INVALID, c.INVALID],
    ['FAILED', L.FAILED, c.FAILED],
    ['NOT_SUBMITTED', L.NOT_SUBMITTED, c.NOT_SUBMITTED],
    ['late', '逾期', c.late],
  ]
    .map(([key, label, n]) => `<span data-count="${key}">${esc(label)} <b>${n}</b></span>`)
    .join('');
  draw();
}

function draw() {
  const { labels } = current;
  const rows = current.agencies.filter(FILTERS[filter]);
  $('agencies').tBodies[0].innerHTML =
    rows
      .map(
        (a) => `<tr data-agency="${esc(a.agencyId)}" data-status="${a.status}">
  <td><button type="button" class="agency" data-agency="${esc(a.agencyId)}">${esc(a.name)}</button><br><code>${esc(a.agencyId)}</code></td>
  <td>${esc(labels.kind[a.kind])}</td>
  <td><span class="badge ${a.status}">${esc(labels.status[a.status])}</span></td>
  <td>${a.uploadedAt === null ? '—' : esc(chinaTime(a.uploadedAt))}</td>
  <td class="${a.late ? 'late' : ''}">${esc(labels.timing[a.timing])}</td>
  <td>${a.status === 'NOT_SUBMITTED' ? '' : a.errors}</td>
  <td>${a.status === 'NOT_SUBMITTED' ? '' : a.warnings}</td>
  <td class="codes">${a.mainCodes
    .slice(0, 4)
    .map((c) => `<code>${esc(c)}</code>`)
    .join('')}</td>
</tr>`,
      )
      .join('') || '<tr><td colspan="8">没有符合条件的机关</td></tr>';
}

async function showFindings(agencyId) {
  const section = $('findings');
  section.hidden = false;
  section.innerHTML = '<p>正在读取…</p>';
  const response = await fetch(
    `/supervision/${encodeURIComponent(current.year)}/${encodeURIComponent(agencyId)}`,
    { headers: headers('application/json') },
  );
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    section.innerHTML = `<p id="findings-error">${esc(body.message ?? `读取失败（${response.status}）`)}</p>`;
    return;
  }
  const title = `<h2>${esc(body.name)}（${esc(agencyId)}）${body.year}年度</h2>`;
  if (body.record === null) {
    section.innerHTML = `${title}<p>尚未提交本年度报告。</p>`;
    return;
  }
  const r = body.record;
  const shown = (r.issues ?? []).filter((i) => i.severity !== 'info');
  const ordered = [
    ...shown.filter((i) => i.severity === 'error'),
    ...shown.filter((i) => i.severity === 'warning'),
  ];
  section.innerHTML = `${title}
<p>状态：<span class="badge ${r.status}">${esc(current.labels.status[r.status])}</span>
 上传于 ${esc(chinaTime(body.submission.uploadedAt))}；错误 ${r.summary.errors} 项，警告 ${r.summary.warnings} 项。</p>
${ordered.length === 0 ? '<p>未发现问题。</p>' : `<ol id="findings-list">${ordered.map((i) => `<li class="${i.severity}">${esc(i.message)} <code>${esc(i.code)}</code></li>`).join('')}</ol>`}
<div id="report-view"></div>`;
  // The report's tables with the findings marked, when the shared view is served next to this page.
  try {
    const [{ render }, vocabulary] = await Promise.all([
      import('/report-view.js'),
      fetch('/template-vocabulary.json').then((res) => (res.ok ? res.json() : Promise.reject(new Error()))),
    ]);
    $('report-view').innerHTML = render(r, vocabulary, { idPrefix: agencyId });
  } catch {
    // Without the view, the list above is the findings.
  }
  section.scrollIntoView();
}

async function downloadCsv() {
  const response = await fetch(`/supervision/${encodeURIComponent(current.year)}?format=csv`, {
    headers: headers('text/csv'),
  });
  if (!response.ok) {
    $('message').textContent = `下载失败（${response.status}）`;
    return;
  }
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `报送情况-${current.officeId}-${current.year}.csv`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

$('form').addEventListener('submit', (event) => {
  event.preventDefault();
  load();
});
$('csv').addEventListener('click', downloadCsv);
$('filters').addEventListener('click', (event) => {
  const button = event.target.closest('button[data-filter]');
  if (button === null || current === null) return;
  filter = button.dataset.filter;
  for (const b of $('filters').querySelectorAll('button'))
    b.setAttribute('aria-pressed', String(b === button));
  draw();
});
$('agencies').addEventListener('click', (event) => {
  const button = event.target.closest('button.agency');
  if (button !== null) showFindings(button.dataset.agency);
});
