/** The table's stream contract for downstream jobs: import from here (no AWS SDK needed). */

export { ReviewDecision } from '../pipeline/review-decision.ts';
export {
  parseItemKey,
  REPORT_PK_PREFIX,
  REVIEW_PK_PREFIX,
  type Reevaluation,
} from '../pipeline/table-layout.ts';
export { ReportRecord } from '../report/record.ts';
export {
  DynamoStreamRecord,
  isReviewStreamRecord,
  parseReviewStreamRecord,
  parseStreamRecord,
  type ReportChange,
  type ReviewChange,
} from './contract.ts';
