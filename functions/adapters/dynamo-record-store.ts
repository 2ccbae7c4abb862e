import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { RecordStore, SaveResult } from '../pipeline/ports.ts';
import { ReportRecord } from '../report/index.ts';
import { type AttributeValue, CURRENT_SK, itemKeys, recordAttributes } from '../stream/item.ts';

/**
 * RecordStore on DynamoDB. Key design (see README):
 * - `pk = upload#{key}`, `sk = version#{versionId}`: exactly one record per uploaded object version. It is
 *   written only if absent, or by a different parser version (a re-parse); a repeated event is a duplicate.
 * - `pk = upload#{key}`, `sk = current`: a copy of the record of the key's latest version, replaced only by
 *   a version with a later S3 sequencer, so a late event of an older version never overwrites it.
 * - GSI `byAgencyYear` (`gsi1pk = agency#{id}#year#{year}`, `gsi1sk = {eventTime}#{sequencer}`), on version
 *   items with a year: the current report of an agency for a year, and the previous year's.
 */
export class DynamoRecordStore implements RecordStore {
  readonly #db: DynamoDBClient;
  readonly #table: string;

  constructor(db: DynamoDBClient, table: string) {
    this.#db = db;
    this.#table = table;
  }

  async save(record: ReportRecord): Promise<SaveResult> {
    const keys = itemKeys(record);
    const attributes = recordAttributes(record);
    const pv = { ':pv': { S: record.parserVersion } };

    let outcome: SaveResult['outcome'];
    let notified = false;
    try {
      const version = update({ ...attributes, ...keys.index });
      const out = await this.#db.send(
        new UpdateItemCommand({
          TableName: this.#table,
          Key: { pk: { S: keys.pk }, sk: { S: keys.versionSk } },
          UpdateExpression: version.expression,
          ConditionExpression: 'attribute_not_exists(pk) OR parserVersion <> :pv',
          ExpressionAttributeNames: version.names,
          ExpressionAttributeValues: { ...version.values, ...pv },
          ReturnValues: 'ALL_OLD',
        }),
      );
      outcome = out.Attributes === undefined ? 'created' : 'replaced';
      notified = out.Attributes?.notifiedAt !== undefined;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      outcome = 'duplicate';
      notified = (await this.item(keys.pk, keys.versionSk))?.notifiedAt !== undefined;
    }

    // The pointer carries no index keys, so the GSI holds each version once.
    let current = true;
    try {
      const pointer = update(attributes);
      await this.#db.send(
        new UpdateItemCommand({
          TableName: this.#table,
          Key: { pk: { S: keys.pk }, sk: { S: CURRENT_SK } },
          UpdateExpression: pointer.expression,
          ConditionExpression:
            'attribute_not_exists(pk) OR sequencer < :seq OR (sequencer = :seq AND parserVersion <> :pv)',
          ExpressionAttributeNames: pointer.names,
          ExpressionAttributeValues: { ...pointer.values, ...pv, ':seq': attributes.sequencer },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      current = (await this.item(keys.pk, CURRENT_SK))?.sequencer?.S === attributes.sequencer.S;
    }
    return { outcome, current, notified };
  }

  async markNotified(record: ReportRecord): Promise<void> {
    const keys = itemKeys(record);
    await this.#db.send(
      new UpdateItemCommand({
        TableName: this.#table,
        Key: { pk: { S: keys.pk }, sk: { S: keys.versionSk } },
        UpdateExpression: 'SET notifiedAt = :now',
        ExpressionAttributeValues: { ':now': { S: new Date().toISOString() } },
      }),
    );
  }

  async latest(agencyId: string, year: number): Promise<ReportRecord | null> {
    const out = await this.#db.send(
      new QueryCommand({
        TableName: this.#table,
        IndexName: 'byAgencyYear',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': { S: `agency#${agencyId}#year#${year}` } },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const json = out.Items?.[0]?.record?.S;
    return json === undefined ? null : ReportRecord.parse(JSON.parse(json));
  }

  /** The record of a key's latest version, or null while the pipeline has not finished with it. */
  async current(key: string): Promise<ReportRecord | null> {
    const json = (await this.item(`upload#${key}`, CURRENT_SK))?.record?.S;
    return json === undefined ? null : ReportRecord.parse(JSON.parse(json));
  }

  /** One raw item, read consistently (the local stream harness compares images with it). */
  async item(pk: string, sk: string) {
    const out = await this.#db.send(
      new GetItemCommand({
        TableName: this.#table,
        Key: { pk: { S: pk }, sk: { S: sk } },
        ConsistentRead: true,
      }),
    );
    return out.Item;
  }
}

/** `SET #a0 = :a0, …` for a map of attributes. */
function update(attributes: Record<string, AttributeValue>) {
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  const sets: string[] = [];
  Object.entries(attributes).forEach(([name, value], i) => {
    names[`#a${i}`] = name;
    values[`:a${i}`] = value;
    sets.push(`#a${i} = :a${i}`);
  });
  return { expression: `SET ${sets.join(', ')}`, names, values };
}
