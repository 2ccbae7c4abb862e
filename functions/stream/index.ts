/** The table's stream contract for downstream jobs: import from here (no AWS SDK needed). */

export { ReportRecord } from '../report/record.ts';
export { DynamoStreamRecord, parseStreamRecord, type ReportChange } from './contract.ts';
export { parseItemKey, type Reevaluation } from './layout.ts';
