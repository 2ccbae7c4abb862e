import type { ExtractedDocument } from '../extract/index.ts';

/**
 * What the parse step may read of one document. A real annual report is about 150 lines, 400 cells and
 * 3 000 characters (the largest of the fixtures: 141 lines, 390 cells, 3 090 characters); the budget
 * leaves two orders of magnitude above that and keeps the parse step far inside its timeout and memory
 * whatever the extraction produced. It is per document and deterministic: nothing else running counts.
 */
export const PARSE_BUDGET = { maxLines: 20_000, maxCells: 100_000, maxCharacters: 2_000_000 } as const;

type Document = Pick<ExtractedDocument, 'pages'>;

/** Null within the budget; otherwise the reason, for the agency, in Chinese (a FILE_TOO_LARGE record). */
export function overParseBudget(document: Document, budget = PARSE_BUDGET): string | null {
  let lines = 0;
  let cells = 0;
  let characters = 0;
  for (const page of document.pages) {
    for (const line of page.lines) {
      lines++;
      cells += line.cells.length;
      for (const cell of line.cells) characters += cell.text.length;
      if (lines > budget.maxLines || cells > budget.maxCells || characters > budget.maxCharacters) {
        return (
          `文件内容远超一份年度报告的篇幅（超过 ${budget.maxLines} 行、${budget.maxCells} 个单元格或 ` +
          `${budget.maxCharacters} 个字符），无法校验；请确认上传的是年度报告本身`
        );
      }
    }
  }
  return null;
}
