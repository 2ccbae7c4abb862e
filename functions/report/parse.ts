import type { ExtractedDocument, SourceFormat } from '../extract/index.ts';
import { isPageFooter } from './cells.ts';
import { type DocLine, documentLines, printedLines, streamLines } from './lines.ts';
import { type Metadata, readMetadata } from './metadata.ts';
import { type FoundSection, findSections, splitAtHeadings } from './sections.ts';
import { type AppealsTable, readAppeals } from './tables/appeals.ts';
import { cutFlattenedTables } from './tables/flattened.ts';
import { type ProactiveTable, readProactive } from './tables/proactive.ts';
import { type RequestsTable, readRequests } from './tables/requests.ts';
import type { SectionNumber } from './template.ts';
import { rejoinWrappedLines } from './wrapped.ts';

/** Everything read from a report before any judgement: the input to validation. */
export interface ParsedReport {
  format: SourceFormat;
  pages: number;
  lines: DocLine[];
  sections: FoundSection[];
  metadata: Metadata;
  proactive: ProactiveTable;
  requests: RequestsTable;
  appeals: AppealsTable;
}

function between(lines: readonly DocLine[], start: number, end: number): DocLine[] {
  return lines.slice(Math.max(0, start), Math.max(0, Math.min(lines.length, end)));
}

/**
 * The document's lines with what its layout broke put back. A PDF's lines are rejoined where the printer
 * wrapped them before any is read as a cell: a digit run too wide for what was left of its line moves
 * whole to a line of its own, and would otherwise pass for the one value of a row printed a cell a line
 * (`…申请数量` / `4264095053302`). Other formats have no printer: their cell streams are rebuilt first.
 */
function readingLines(doc: ExtractedDocument): DocLine[] {
  if (doc.format !== 'pdf') return rejoinWrappedLines(documentLines(doc), doc.format);
  const printed = printedLines(doc).filter((l) => !isPageFooter(l.text));
  return streamLines(rejoinWrappedLines(printed, 'pdf'));
}

/**
 * Parses an extracted report. Tables are looked for under their section heading first and, when they
 * are not there (a body that wrote its own headings, or none), anywhere in the document; validation
 * reports a table found outside its section. Never throws on any document.
 */
export function parseReport(doc: ExtractedDocument): ParsedReport {
  let lines = cutFlattenedTables(readingLines(doc));
  let sections = findSections(lines);
  // Headings inside paragraphs get lines of their own; the sections are then found on those lines.
  if (sections.some((s) => s.offset !== undefined || lines[s.line]?.text.trim() !== s.title)) {
    const split = splitAtHeadings(lines, sections);
    if (split.length !== lines.length) {
      lines = split;
      sections = findSections(lines);
    }
  }
  const at = (n: SectionNumber) => sections.find((s) => s.number === n);

  const s3 = at(3);
  let requests = s3 === undefined ? null : readRequests(between(lines, s3.line + 1, s3.end), doc.format);
  if (requests === null || requests.span === null) requests = readRequests(lines, doc.format);

  const s4 = at(4);
  const afterRequests = requests.span === null ? 0 : requests.span.last + 1;
  let appeals =
    s4 === undefined
      ? null
      : readAppeals(between(lines, Math.max(s4.line + 1, afterRequests), s4.end), doc.format);
  if (appeals === null || !appeals.found) {
    const s5 = at(5);
    const end = s5 !== undefined && s5.line > afterRequests ? s5.line : lines.length;
    appeals = readAppeals(between(lines, afterRequests, end), doc.format);
  }

  const s2 = at(2);
  const beforeRequests = requests.span === null ? lines.length : requests.span.first;
  let proactive =
    s2 === undefined ? null : readProactive(between(lines, s2.line + 1, Math.min(s2.end, beforeRequests)));
  if (proactive === null || proactive.span === null)
    proactive = readProactive(between(lines, 0, beforeRequests));

  return {
    format: doc.format,
    pages: doc.pages.length,
    lines,
    sections,
    metadata: readMetadata(lines, sections),
    proactive,
    requests,
    appeals,
  };
}
