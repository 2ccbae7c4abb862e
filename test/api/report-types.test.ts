import { describe, expect, it } from 'vitest';
import { DEFAULT_UPLOAD_POLICY } from '../../functions/api/uploads.ts';
import { REPORT_TYPES, reportTypeOf, reportTypesForPage } from '../../functions/pipeline/report-types.ts';

/** The one list of accepted report types, and what the API and the page derive from it. */
describe('report types', () => {
  it('name each type by its endings, in any case, and nothing else', () => {
    expect(reportTypeOf('年报.PDF')?.format).toBe('pdf');
    expect(reportTypeOf('report.final.docx')?.format).toBe('docx');
    expect(reportTypeOf('a.htm')?.mime).toBe('text/html');
    expect(reportTypeOf('a.txt')?.format).toBe('text');
    for (const name of ['a.doc', 'a.wps', 'a.xlsx', 'a.png', 'README', 'a.pdf ', 'pdf']) {
      expect(reportTypeOf(name), name).toBeNull();
    }
  });

  it('are what the API accepts and what the page offers', () => {
    expect([...DEFAULT_UPLOAD_POLICY.contentTypes]).toEqual(REPORT_TYPES.map((t) => t.mime));
    const page = reportTypesForPage();
    expect(page.accept.split(',')).toEqual(REPORT_TYPES.flatMap((t) => t.extensions));
    for (const t of REPORT_TYPES) for (const e of t.extensions) expect(page.mimeByExtension[e]).toBe(t.mime);
    expect(page.labels).toBe('PDF、DOCX、HTML、TXT');
  });
});
