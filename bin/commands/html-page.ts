import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pageVocabulary } from '../../functions/report/page-vocabulary.ts';
import type { ReportRecord } from '../../functions/report/record.ts';
import { escapeHtml as esc } from '../../local/web/escape.js';
import { render } from '../../local/web/report-view.js';

/**
 * `check --html OUT.html`: one self-contained page (style inlined, no script, no request) with each file's
 * report view, drawn by the same module as the upload page, so a reviewer can send it to an agency.
 */
const WEB = path.join(import.meta.dirname, '..', '..', 'local', 'web');

export type PageEntry = { file: string; record: ReportRecord } | { file: string; error: string };

export function reportPage(entries: readonly PageEntry[], generatedAt = new Date()): string {
  const vocabulary = pageVocabulary();
  const css = readFileSync(path.join(WEB, 'report-view.css'), 'utf8');
  const toc = entries
    .map((e, i) => {
      const status =
        'record' in e ? `${vocabulary.statuses[e.record.status]}（${e.record.status}）` : '无法读取';
      return `<li><a href="#r${i + 1}">${esc(path.basename(e.file))}</a>：${esc(status)}</li>`;
    })
    .join('');
  const bodies = entries
    .map((e, i) => {
      const head = `<h2 class="file">${esc(e.file)}</h2>`;
      return 'record' in e
        ? `<div class="report">${head}${render(e.record, vocabulary, { idPrefix: `r${i + 1}` })}</div>`
        : `<div class="report" id="r${i + 1}">${head}<p class="rv-failure">${esc(e.error)}</p></div>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>政府信息公开工作年度报告校验结果</title>
<style>
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; color: #222; }
h1 { font-size: 1.4rem; } h2.file { font-size: .9rem; color: #555; font-weight: normal; overflow-wrap: anywhere; margin-top: 2.5rem; }
${css}
</style>
</head>
<body>
<h1>政府信息公开工作年度报告校验结果</h1>
<p>共 ${entries.length} 个文件，生成于 ${esc(generatedAt.toISOString())}。表格按报告模板显示程序读到的内容：标红的单元格为错误，标黄为警告，鼠标悬停或用 Tab 键选中单元格可看说明；空白单元格即报告中未填写，“/”为报告原样。</p>
<ul>${toc}</ul>
${bodies}
</body>
</html>
`;
}
