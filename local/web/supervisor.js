/**
 * The supervisor page, signed in as a supervising office (sign-in.js): GET /supervision/{year}, the counts, a filterable table
 * of the agencies under the office, the CSV download (fetched with the token, saved as a file) and, on a
 * click on an agency, its findings from GET /supervision/{year}/{agencyId}. The labels come from the API;
 * the findings' table view and the Beijing-time form are report-view.js's (the upload page's module).
 *
 * Review (issue 15): the findings are listed open first, then confirmed, then dismissed, with the counts
 * of each. A reviewer works through them from the keyboard: ↓/↑ (or j/k) move between findings (one tab
 * stop for the list), `d` dismisses and `c` confirms — both open a required reason field with the focus in
 * it — Enter submits (POST /reports/{reportId}/findings/{fingerprint}/review; the panel is redrawn from
 * the answer and the focus moves to the next open finding), Esc cancels. Each finding also has buttons.
 * The API's refusals (403, 404, 409 …) are said in the alert region #review-error, progress in
 * #review-status; both stay in the page while the panel is redrawn.
 */
import { escapeHtml as esc } from '/escape.js';
import { chinaTime } from '/report-view.js';
import { apiFetch, mountSignIn } from '/sign-in.js';

const $ = (id) => document.getElementById(id);

const FILTERS = {
  all: () => true,
  'not-submitted': (a) => a.status === 'NOT_SUBMITTED',
  late: (a) => a.late,
  invalid: (a) => a.status === 'INVALID',
};

let current = null;
let filter = 'all';
/** The codes catalogue's words, `{ CODE: { meaning } }`, from /template-vocabulary.json. */
let codeWords = {};

$('year').value = new Date().getFullYear() - 1;
const params = new URLSearchParams(location.search);
if (params.get('year')) $('year').value = params.get('year');

/** Only the answer to the latest query is drawn (an earlier one may still be on its way). */
let loads = 0;
async function load() {
  const mine = ++loads;
  $('message').textContent = '';
  $('findings').hidden = true;
  const year = $('year').value;
  const response = await apiFetch(`/supervision/${encodeURIComponent(year)}`, {
    headers: { accept: 'application/json' },
  });
  const body = await response.json().catch(() => ({}));
  if (mine !== loads) return;
  if (!response.ok) {
    current = null;
    $('result').hidden = true;
    $('csv').disabled = true;
    $('message').textContent =
      response.status === 401
        ? '未登录或登录已失效，请登录'
        : (body.message ?? `查询失败（${response.status}）`);
    return;
  }
  // The codes' Chinese meanings come from the template vocabulary (the codes catalogue); without it the
  // table still shows the codes.
  codeWords = (await loadShared().catch(() => null))?.vocabulary?.codes ?? {};
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
  // The state filters say the state as the table and the counts do (the API's labels).
  for (const button of document.querySelectorAll('#filters [data-state]')) {
    button.textContent = L[button.dataset.state];
  }
  draw();
  // The charts (charts.js, issue 26) load apart: the table above never waits for them.
  const fetchJson = (p) =>
    apiFetch(p, { headers: { accept: 'application/json' } }).then((r) => (r.ok ? r.json() : null));
  import('/charts.js')
    .then(({ drawCharts }) => drawCharts($('charts'), body, fetchJson))
    .catch(() => {
      $('charts').hidden = true;
    });
}

/** A main code as its Chinese meaning, the code itself kept small beside it (and as the title) for operators. */
const codeItem = (code) => {
  const meaning = codeWords[code]?.meaning;
  return `<li data-code="${esc(code)}" title="${esc(code)}">${meaning ? `${esc(meaning)} ` : ''}<code>${esc(code)}</code></li>`;
};

function draw() {
  const { labels } = current;
  const rows = current.agencies.filter(FILTERS[filter]);
  // On a phone each row is a card: every cell is labelled with its column's header, read from the table.
  const headings = [...$('agencies').tHead.rows[0].cells].map((th) => th.textContent);
  const cells = (a) => [
    `<td><button type="button" class="agency" data-agency="${esc(a.agencyId)}">${esc(a.name)}</button><br><code>${esc(a.agencyId)}</code></td>`,
    `<td>${esc(labels.kind[a.kind])}</td>`,
    `<td><span class="badge ${a.status}">${esc(labels.status[a.status])}</span></td>`,
    `<td>${a.uploadedAt === null ? '—' : esc(chinaTime(a.uploadedAt))}</td>`,
    `<td class="${a.late ? 'late' : ''}">${esc(labels.timing[a.timing])}</td>`,
    `<td>${a.status === 'NOT_SUBMITTED' ? '' : a.errors}</td>`,
    `<td>${a.status === 'NOT_SUBMITTED' ? '' : a.warnings}</td>`,
    `<td class="codes">${a.mainCodes.length === 0 ? '' : `<ul>${a.mainCodes.slice(0, 4).map(codeItem).join('')}</ul>`}</td>`,
  ];
  const labelled = (td, i) => td.replace('<td', `<td data-label="${esc(headings[i] ?? '')}"`);
  $('agencies').tBodies[0].innerHTML =
    rows
      .map(
        (a) => `<tr data-agency="${esc(a.agencyId)}" data-status="${a.status}">
  ${cells(a).map(labelled).join('\n  ')}
</tr>`,
      )
      .join('') || `<tr><td colspan="${headings.length}">没有符合条件的机关</td></tr>`;
}

/**
 * The report view's module and the template's words, loaded once: the panel's labels (review states and
 * statuses) and the tables come from there.
 */
let shared = null;
const loadShared = () => {
  shared ??= Promise.all([
    import('/report-view.js'),
    fetch('/template-vocabulary.json').then((res) =>
      res.ok ? res.json() : Promise.reject(new Error(`template vocabulary: HTTP ${res.status}`)),
    ),
  ]).then(([view, vocabulary]) => ({ view, vocabulary }));
  shared.catch(() => {
    shared = null;
  });
  return shared;
};

/** The agency whose findings are open in the panel, and the answer they were drawn from. */
let panel = null;
const STATE_RANK = { OPEN: 0, CONFIRMED: 1, DISMISSED: 2 };
const SEVERITY_RANK = { error: 0, warning: 1 };

const say = (text) => {
  $('review-status').textContent = text;
};
const complain = (text) => {
  $('review-error').textContent = text;
};

async function showFindings(agencyId) {
  const section = $('findings');
  section.hidden = false;
  say('');
  complain('');
  $('findings-body').innerHTML = '<p>正在读取…</p>';
  const answer = await fetchFindings(agencyId);
  if (answer === null) return;
  panel = { agencyId, answer };
  await drawPanel();
  // Straight to the first finding, so that the keys work at once; else the panel's title.
  const first = $('findings-list')?.querySelector('li');
  (first ?? $('findings-title'))?.focus();
}

async function fetchFindings(agencyId) {
  const response = await apiFetch(
    `/supervision/${encodeURIComponent(current.year)}/${encodeURIComponent(agencyId)}`,
    { headers: { accept: 'application/json' } },
  );
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    $('findings-body').innerHTML =
      `<p id="findings-error">${esc(body.message ?? `读取失败（${response.status}）`)}</p>`;
    return null;
  }
  return body;
}

/**
 * The panel from `panel.answer`: title, statuses, the review counts, the findings (open first, then
 * confirmed, then dismissed; errors before warnings in each), each with its review and the two actions,
 * then the report's tables.
 */
async function drawPanel() {
  const { agencyId, answer: body } = panel;
  const title = `<h2 id="findings-title" tabindex="-1">${esc(body.name)}（${esc(agencyId)}）${body.year}年度</h2>`;
  if (body.record === null || body.record === undefined) {
    $('findings-body').innerHTML = `${title}<p>尚未提交本年度报告。</p>`;
    return;
  }
  let view = null;
  let vocabulary = null;
  try {
    ({ view, vocabulary } = await loadShared());
  } catch {
    // Without the shared view and words, the findings are listed without their review.
  }
  const { record: r, review } = view?.reviewedView(body) ?? { record: body.record, review: null };
  const words = vocabulary?.review ?? null;
  panel.words = words;
  const stateOf = (issue) => view?.reviewState(issue) ?? 'OPEN';
  // A FAILED record was not read: nothing in it to review (the API answers 409).
  const canReview = words !== null && typeof body.reportId === 'string' && r.status !== 'FAILED';
  const shown = (r.issues ?? [])
    .filter((i) => i.severity !== 'info')
    .map((issue, n) => ({ issue, n, state: stateOf(issue) }))
    .sort(
      (a, b) =>
        (canReview ? STATE_RANK[a.state] - STATE_RANK[b.state] : 0) ||
        SEVERITY_RANK[a.issue.severity] - SEVERITY_RANK[b.issue.severity] ||
        a.n - b.n,
    );
  const counts = { OPEN: 0, CONFIRMED: 0, DISMISSED: 0 };
  for (const f of shown) counts[f.state]++;
  // The record's status in the words of the report view below it (合格 / 有错误 / 无法读取): the year's
  // table says the submission's state in the same words (the API's labels derive from them).
  const statusWord = vocabulary?.statuses?.[r.status] ?? current.labels.status[r.status];
  const reviewBadge =
    words !== null && review?.status && words.statuses[review.status]
      ? ` 审核：<span class="badge review ${esc(review.status)}" data-review-status="${esc(review.status)}">${esc(words.statuses[review.status])}</span>`
      : '';
  const countItems = canReview
    ? ['OPEN', 'CONFIRMED', 'DISMISSED'].map(
        (s) => `<span data-review-count="${s}">${esc(words.decisions[s])} <b>${counts[s]}</b></span>`,
      )
    : [];
  if (canReview && review?.fixed?.length > 0) {
    countItems.push(
      `<span data-review-count="FIXED">${esc(words.fixed)} <b>${review.fixed.length}</b></span>`,
    );
  }
  const countLine = canReview
    ? `<p id="review-counts">${countItems.join('')}</p>
<p id="review-help">键盘：<kbd>↓</kbd>/<kbd>↑</kbd>（或 <kbd>j</kbd>/<kbd>k</kbd>）在问题间移动，<kbd>d</kbd> ${esc(words.actions.DISMISSED)}，<kbd>c</kbd> ${esc(words.actions.CONFIRMED)}；填写理由后按 <kbd>Enter</kbd> 提交，<kbd>Esc</kbd> 取消。</p>`
    : '';
  const item = ({ issue, state }, i) => {
    const reviewable = canReview && typeof issue.fingerprint === 'string';
    const actions = reviewable
      ? `<span class="actions">${['DISMISSED', 'CONFIRMED']
          .filter((d) => d !== state)
          .map(
            (d) =>
              `<button type="button" data-decision="${d}">${state === 'OPEN' ? '' : '改为'}${esc(words.actions[d])}</button>`,
          )
          .join('')}</span>`
      : '';
    const reviewWords = canReview ? ` ${view.reviewText(issue, vocabulary)}` : '';
    const keys = reviewable ? ' aria-keyshortcuts="ArrowDown ArrowUp J K D C"' : '';
    return `<li class="${issue.severity}" tabindex="${i === 0 ? 0 : -1}"${keys} data-review="${state}" data-severity="${issue.severity}" data-fingerprint="${esc(issue.fingerprint ?? '')}">${esc(issue.message)} <code>${esc(issue.code)}</code>${reviewWords}${actions}</li>`;
  };
  $('findings-body').innerHTML = `${title}
<p>状态：<span class="badge ${r.status}">${esc(statusWord)}</span>${reviewBadge}
 上传于 ${esc(chinaTime(body.submission.uploadedAt))}；错误 ${r.summary.errors} 项，警告 ${r.summary.warnings} 项。</p>
${countLine}
${shown.length === 0 ? '<p>未发现问题。</p>' : `<ol id="findings-list" aria-label="问题清单"${canReview ? ' aria-describedby="review-help"' : ''}>${shown.map(item).join('')}</ol>`}
<div id="report-view"></div>`;
  // The report's tables with the findings marked, when the shared view is served next to this page.
  if (view !== null) {
    $('report-view').innerHTML = view.render(r, vocabulary, { idPrefix: agencyId, review });
  }
}

const findingItems = () => [...($('findings-list')?.querySelectorAll(':scope > li') ?? [])];

/** Moves the keyboard's place to a finding (one tab stop for the whole list). */
function focusItem(li) {
  for (const other of findingItems()) other.tabIndex = other === li ? 0 : -1;
  li.focus();
}

function closeForm(form, refocus) {
  const li = form.closest('li');
  form.remove();
  if (refocus && li !== null) focusItem(li);
}

/** The reason field for a decision on a finding; the focus moves into it. */
function openForm(li, decision) {
  if (li.dataset.fingerprint === '' || typeof panel?.answer?.reportId !== 'string' || !panel.words) return;
  for (const open of document.querySelectorAll('form.review-form')) closeForm(open, false);
  complain('');
  const label = panel.words.reasons[decision];
  const form = document.createElement('form');
  form.className = 'review-form';
  form.dataset.decision = decision;
  const id = `reason-${li.dataset.fingerprint}`;
  form.innerHTML = `<label for="${esc(id)}">${label}（必填）</label><input id="${esc(id)}" name="reason" required maxlength="500" autocomplete="off">
<button type="submit">提交（Enter）</button><button type="button" class="cancel">取消（Esc）</button>`;
  li.append(form);
  form.reason.focus();
}

/** POSTs the decision; the panel is redrawn from the answer and the focus moves to the next open finding. */
async function submitReview(form) {
  const li = form.closest('li');
  const fingerprint = li.dataset.fingerprint;
  const decision = form.dataset.decision;
  const reason = form.reason.value.trim();
  complain('');
  if (reason === '') {
    complain('请填写理由后再提交。');
    form.reason.focus();
    return;
  }
  const before = findingItems().map((x) => x.dataset.fingerprint);
  for (const control of form.elements) control.disabled = true;
  say('正在提交…');
  const { agencyId, answer } = panel;
  let response;
  let body = {};
  try {
    response = await apiFetch(
      `/reports/${encodeURIComponent(answer.reportId)}/findings/${encodeURIComponent(fingerprint)}/review`,
      {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ decision, reason }),
      },
    );
    body = await response.json().catch(() => ({}));
  } catch {
    response = null;
  }
  if (response === null || !response.ok) {
    say('');
    complain(
      response === null
        ? '提交失败：无法连接服务'
        : response.status === 401
          ? '未登录或登录已失效，请登录'
          : `提交失败（${response.status}）：${body.message ?? ''}`,
    );
    for (const control of form.elements) control.disabled = false;
    form.reason.focus();
    return;
  }
  // The answer is the report's new review view (every finding's review, reviewStatus, fixed): the panel is
  // redrawn from it, the rest of what it shows (name, upload, record) is unchanged.
  if (panel?.answer !== answer) return; // another agency was opened meanwhile
  const { reportId, reviewStatus, issues, fixed } = body;
  panel = { agencyId, answer: { ...answer, reportId, reviewStatus, issues, fixed } };
  await drawPanel();
  const done = before.indexOf(fingerprint);
  const open = findingItems().filter((x) => x.dataset.review === 'OPEN');
  const next = open.find((x) => before.indexOf(x.dataset.fingerprint) > done) ?? open[0] ?? findingItems()[0];
  if (next !== undefined) focusItem(next);
  else $('findings-title')?.focus();
  const message = li.firstChild?.textContent?.trim() ?? '';
  const left =
    open.length === 0 ? '所有问题均已审核。' : `还有 ${open.length} 项${panel.words.decisions.OPEN}。`;
  say(`${panel.words.decisions[decision]}：${message}。${left}`);
}

async function downloadCsv() {
  const response = await apiFetch(`/supervision/${encodeURIComponent(current.year)}?format=csv`, {
    headers: { accept: 'text/csv' },
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

// Working through the findings: keys on a finding (or its buttons), the reason field's Enter and Esc.
const KEYS = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1 };
$('findings').addEventListener('keydown', (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const form = event.target.closest('form.review-form');
  if (form !== null) {
    if (event.key === 'Escape') {
      event.preventDefault();
      closeForm(form, true);
      say('已取消。');
    }
    return;
  }
  const li = event.target.closest('#findings-list > li');
  if (li === null) return;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  if (KEYS[key] !== undefined) {
    const items = findingItems();
    const next = items[items.indexOf(li) + KEYS[key]];
    if (next !== undefined) focusItem(next);
  } else if (key === 'Home' || key === 'End') {
    const items = findingItems();
    focusItem(items[key === 'Home' ? 0 : items.length - 1]);
  } else if (key === 'd' || key === 'c') {
    openForm(li, key === 'd' ? 'DISMISSED' : 'CONFIRMED');
  } else {
    return;
  }
  event.preventDefault();
});
$('findings').addEventListener('click', (event) => {
  const action = event.target.closest('#findings-list button[data-decision]');
  if (action !== null) openForm(action.closest('li'), action.dataset.decision);
  const cancel = event.target.closest('form.review-form button.cancel');
  if (cancel !== null) closeForm(cancel.closest('form'), true);
});
$('findings').addEventListener('submit', (event) => {
  const form = event.target.closest('form.review-form');
  if (form === null) return;
  event.preventDefault();
  submitReview(form);
});

// The sign-in bar; back from the login page the token is taken, and 查询 shows the chosen year.
mountSignIn($('sign-in-bar'), () => {
  current = null;
  $('result').hidden = true;
  $('findings').hidden = true;
  $('csv').disabled = true;
});
