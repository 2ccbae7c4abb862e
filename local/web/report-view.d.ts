import type { PageVocabulary } from '../../functions/report/page-vocabulary.ts';
import type { ReportRecord } from '../../functions/report/record.ts';

/** Types of report-view.js for TypeScript callers (check --html, tests); see the module's comment. */
export function render(
  record: ReportRecord,
  vocabulary: PageVocabulary,
  options?: { idPrefix?: string },
): string;
