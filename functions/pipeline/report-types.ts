import type { SourceFormat } from '../extract/index.ts';

/**
 * The report file types the pipeline accepts: the one list that the upload API (its MIME check), the CLI
 * (which files of a folder it picks, which type it declares on upload) and the upload page (its `accept`
 * attribute, served by the local server) derive from. The content still decides how a file is read
 * (functions/extract/detect.ts); a name or MIME type only picks and labels files. A new type is a new
 * entry here plus its extractor.
 */

export interface ReportType {
  /** The format the extractor reports for such content. */
  format: SourceFormat;
  /** Name endings, lower-case with the dot; the first is the usual one. */
  extensions: readonly string[];
  mime: string;
  /** How the type is named to users. */
  label: string;
}

export const REPORT_TYPES: readonly ReportType[] = [
  { format: 'pdf', extensions: ['.pdf'], mime: 'application/pdf', label: 'PDF' },
  {
    format: 'docx',
    extensions: ['.docx'],
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    label: 'DOCX',
  },
  { format: 'html', extensions: ['.html', '.htm'], mime: 'text/html', label: 'HTML' },
  { format: 'text', extensions: ['.txt'], mime: 'text/plain', label: 'TXT' },
];

/** The accepted MIME types, as the API's upload policy lists them. */
export const REPORT_MIME_TYPES: readonly string[] = REPORT_TYPES.map((t) => t.mime);

/** "PDF、DOCX、HTML、TXT": the accepted types in a Chinese message. */
export const REPORT_TYPE_LABELS = REPORT_TYPES.map((t) => t.label).join('、');

/** The type a file name declares by its ending (case-insensitive), or null. */
export function reportTypeOf(fileName: string): ReportType | null {
  const lower = fileName.toLowerCase();
  return REPORT_TYPES.find((t) => t.extensions.some((e) => lower.endsWith(e))) ?? null;
}

/** What the upload page needs: its `accept` attribute and the MIME type per extension. */
export function reportTypesForPage() {
  return {
    accept: REPORT_TYPES.flatMap((t) => t.extensions).join(','),
    labels: REPORT_TYPE_LABELS,
    mimeByExtension: Object.fromEntries(REPORT_TYPES.flatMap((t) => t.extensions.map((e) => [e, t.mime]))),
  };
}
