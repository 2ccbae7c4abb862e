import type { AttributeValue, QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { ATTR, INDEX_BY_SUBMISSION, submissionPk } from '../pipeline/table-layout.ts';

/**
 * The one Query on the `bySubmission` index: an agency-year's uploads, newest first. `attributes` names what
 * to project (none: the index's keys and projection as stored); `limit` and `start` page through them. The
 * status reader, the 汇总's source and the reminders' lookup all ask it this way.
 */
export function submissionsQuery(
  table: string,
  agencyId: string,
  year: number,
  options: { attributes?: readonly string[]; limit?: number; start?: Record<string, AttributeValue> } = {},
): QueryCommandInput {
  const names = Object.fromEntries((options.attributes ?? []).map((a, i) => [`#a${i}`, a]));
  return {
    TableName: table,
    IndexName: INDEX_BY_SUBMISSION,
    KeyConditionExpression: '#p = :p',
    ...(options.attributes === undefined ? {} : { ProjectionExpression: Object.keys(names).join(', ') }),
    ExpressionAttributeNames: { ...names, '#p': ATTR.gsi2pk },
    ExpressionAttributeValues: { ':p': { S: submissionPk(agencyId, year) } },
    ScanIndexForward: false,
    ...(options.limit === undefined ? {} : { Limit: options.limit }),
    ...(options.start === undefined ? {} : { ExclusiveStartKey: options.start }),
  };
}
