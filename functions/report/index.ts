/** Public surface of parsing and validation. Domain code: no AWS SDK imports here or below. */
export { checkDocument, failedRecord, recordFrom, type SourceFile, withIssues } from './check.ts';
export { formatRecord, locationOf, STATUS_NAMES } from './describe.ts';
export { type ParsedReport, parseReport } from './parse.ts';
export {
  ISSUE_CODES,
  Issue,
  IssueCode,
  PARSER_VERSION,
  ReportRecord,
  reportRecordJsonSchema,
  SCHEMA_VERSION,
  Severity,
  Status,
  VALIDATION_CODES,
} from './record.ts';
export * from './template.ts';
export { SEVERITY, validateReport } from './validate.ts';
