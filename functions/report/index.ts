/** Public surface of parsing and validation. Domain code: no AWS SDK imports here or below. */
export {
  checkDocument,
  failedRecord,
  type HashedSource,
  recordFrom,
  type SourceFile,
  withIssues,
} from './check.ts';
export {
  CODES,
  type CodeSpec,
  ISSUE_CODES,
  isIssueCode,
  SEVERITIES,
  type Stage,
  severityOf,
} from './codes.ts';
export { formatRecord, issueLine, locationOf, SEVERITY_NAMES, STATUS_NAMES } from './describe.ts';
export { distinctCodes, errorsFirst, summaryOf } from './findings.ts';
export { findingFingerprint, fingerprinted } from './fingerprint.ts';
export { type ParsedReport, parseReport } from './parse.ts';
export {
  Issue,
  IssueCode,
  PARSER_VERSION,
  ReportRecord,
  reportRecordJsonSchema,
  SCHEMA_VERSION,
  Severity,
  Status,
} from './record.ts';
export * from './template.ts';
export { validateReport } from './validate.ts';
