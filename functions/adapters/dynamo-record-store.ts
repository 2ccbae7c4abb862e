import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  type ScanCommandOutput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { NoticeClaim, RecordStore, SaveResult } from '../pipeline/ports.ts';
import {
  ATTR,
  agencyYearPk,
  CURRENT_SK,
  INDEX_BY_AGENCY_YEAR,
  type Reevaluation,
  type StoredRecord,
  uploadPk,
  VERSION_SK_PREFIX,
} from '../pipeline/table-layout.ts';
import { ReportRecord } from '../report/index.ts';
import {
  type AttributeValue,
  decodeItem,
  itemKeys,
  recordAttributes,
  stringAttribute,
} from '../stream/items.ts';
import { submissionsQuery } from './submission-query.ts';

type Values = Record<string, AttributeValue>;
const parse = (json: unknown) => ReportRecord.parse(json);
const decode = (item: Record<string, unknown> | undefined) => decodeItem(item, parse);
const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

/**
 * RecordStore on DynamoDB, in the layout of functions/pipeline/table-layout.ts (see docs/data-model.md, "Table design"):
 * - a version item is written only if absent, or by a different parser version (a re-parse); a repeated
 *   event is a duplicate and keeps the stored record. A re-evaluation writes the next `revision`.
 * - the `current` item is a copy of a stored version item, replaced only by a later S3 sequencer (or a
 *   newer revision of the same version), so a late event of an older version never overwrites it.
 * - identical bytes (same SHA-256 and parser as the key's current record) under a new object version
 *   change nothing: no item, no message.
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
    const before = decode(await this.item(keys.pk, CURRENT_SK));
    if (
      before !== null &&
      before.record.source.sha256 === record.source.sha256 &&
      before.record.parserVersion === record.parserVersion &&
      before.record.upload?.versionId !== record.upload?.versionId
    ) {
      return { outcome: 'unchanged', current: false, stored: before };
    }

    let outcome: SaveResult['outcome'];
    let stored: StoredRecord | null;
    try {
      const version = update({ ...recordAttributes(record), ...keys.index });
      const out = await this.#db.send(
        new UpdateItemCommand({
          TableName: this.#table,
          Key: { [ATTR.pk]: { S: keys.pk }, [ATTR.sk]: { S: keys.versionSk } },
          // A re-parse starts a new revision and drops the reason of an earlier re-evaluation.
          UpdateExpression: `${version.expression}, #rev = if_not_exists(#rev, :minus1) + :one REMOVE #why`,
          ConditionExpression: 'attribute_not_exists(#pk) OR #pv <> :pv',
          ExpressionAttributeNames: {
            ...version.names,
            '#rev': ATTR.revision,
            '#why': ATTR.reevaluatedBecause,
            '#pk': ATTR.pk,
            '#pv': ATTR.parserVersion,
          },
          ExpressionAttributeValues: {
            ...version.values,
            ':pv': { S: record.parserVersion },
            ':minus1': { N: '-1' },
            ':one': { N: '1' },
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const revision = Number(out.Attributes?.[ATTR.revision]?.N ?? 0);
      outcome = revision === 0 ? 'created' : 'replaced';
      stored = decode(out.Attributes);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      outcome = 'duplicate';
      stored = decode(await this.item(keys.pk, keys.versionSk));
    }
    if (stored === null) throw new Error(`version item vanished: ${keys.pk} ${keys.versionSk}`);
    return { outcome, current: await this.#putCurrent(stored), stored };
  }

  /**
   * Makes the key's current item a copy of a stored version item unless a later version (or a later
   * revision of this one) is already there. Always written from the stored item, never from a record
   * recomputed by a repeated event. Returns whether the version is the key's current one.
   */
  async #putCurrent(stored: StoredRecord): Promise<boolean> {
    const { record } = stored;
    const keys = itemKeys(record);
    const attributes = recordAttributes(record);
    try {
      await this.#db.send(
        new PutItemCommand({
          TableName: this.#table,
          // The pointer carries no index keys, so the GSI holds each version once.
          Item: {
            [ATTR.pk]: { S: keys.pk },
            [ATTR.sk]: { S: CURRENT_SK },
            ...attributes,
            [ATTR.revision]: { N: String(stored.revision) },
            ...(stored.reevaluatedBecause === null
              ? {}
              : { [ATTR.reevaluatedBecause]: { S: JSON.stringify(stored.reevaluatedBecause) } }),
          },
          ConditionExpression:
            'attribute_not_exists(#pk) OR #seq < :seq OR (#seq = :seq AND #v = :v AND (#pv <> :pv OR attribute_not_exists(#rev) OR #rev < :rev))',
          ExpressionAttributeNames: {
            '#pk': ATTR.pk,
            '#seq': ATTR.sequencer,
            '#v': ATTR.versionId,
            '#pv': ATTR.parserVersion,
            '#rev': ATTR.revision,
          },
          ExpressionAttributeValues: {
            ':seq': attributes[ATTR.sequencer],
            ':v': attributes[ATTR.versionId],
            ':pv': attributes[ATTR.parserVersion],
            ':rev': { N: String(stored.revision) },
          },
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const now = await this.item(keys.pk, CURRENT_SK);
      return stringAttribute(now, ATTR.versionId) === attributes[ATTR.versionId].S;
    }
  }

  async revise(
    stored: StoredRecord,
    revised: ReportRecord,
    because: Reevaluation,
  ): Promise<StoredRecord | null> {
    const keys = itemKeys(stored.record);
    const next = stored.revision + 1;
    const set = update({
      ...recordAttributes(revised),
      [ATTR.revision]: { N: String(next) },
      [ATTR.reevaluatedBecause]: { S: JSON.stringify(because) },
    });
    let after: StoredRecord | null;
    try {
      const out = await this.#db.send(
        new UpdateItemCommand({
          TableName: this.#table,
          Key: { [ATTR.pk]: { S: keys.pk }, [ATTR.sk]: { S: keys.versionSk } },
          UpdateExpression: set.expression,
          ConditionExpression:
            stored.revision === 0
              ? '#pv = :pv AND (attribute_not_exists(#rev) OR #rev = :old)'
              : '#pv = :pv AND #rev = :old',
          ExpressionAttributeNames: { ...set.names, '#pv': ATTR.parserVersion, '#rev': ATTR.revision },
          ExpressionAttributeValues: {
            ...set.values,
            ':pv': { S: stored.record.parserVersion },
            ':old': { N: String(stored.revision) },
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      after = decode(out.Attributes);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return null;
    }
    if (after !== null) await this.#putCurrent(after);
    return after;
  }

  async claimNotice(stored: StoredRecord, leaseMs: number): Promise<NoticeClaim> {
    const keys = itemKeys(stored.record);
    const now = new Date();
    try {
      const out = await this.#db.send(
        new UpdateItemCommand({
          TableName: this.#table,
          Key: { [ATTR.pk]: { S: keys.pk }, [ATTR.sk]: { S: keys.versionSk } },
          UpdateExpression: 'SET #cr = :rev, #ca = :now',
          ConditionExpression:
            '(attribute_not_exists(#nr) OR #nr < :rev) AND (attribute_not_exists(#cr) OR #cr < :rev OR #ca < :stale)',
          ExpressionAttributeNames: {
            '#nr': ATTR.notifiedRevision,
            '#cr': ATTR.noticeClaimRevision,
            '#ca': ATTR.noticeClaimedAt,
          },
          ExpressionAttributeValues: {
            ':rev': { N: String(stored.revision) },
            ':now': { S: now.toISOString() },
            ':stale': { S: new Date(now.getTime() - leaseMs).toISOString() },
          },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const earlier = out.Attributes?.[ATTR.noticeClaimRevision]?.N;
      return earlier === String(stored.revision) ? 'reclaimed' : 'claimed';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const item = decode(await this.item(keys.pk, keys.versionSk));
      return (item?.notifiedRevision ?? -1) >= stored.revision ? 'sent' : 'busy';
    }
  }

  async markNotified(stored: StoredRecord): Promise<void> {
    const keys = itemKeys(stored.record);
    await this.#db.send(
      new UpdateItemCommand({
        TableName: this.#table,
        Key: { [ATTR.pk]: { S: keys.pk }, [ATTR.sk]: { S: keys.versionSk } },
        UpdateExpression: 'SET #nr = :rev, #na = :now',
        ExpressionAttributeNames: { '#nr': ATTR.notifiedRevision, '#na': ATTR.notifiedAt },
        ExpressionAttributeValues: {
          ':rev': { N: String(stored.revision) },
          ':now': { S: new Date().toISOString() },
        },
      }),
    );
  }

  async latest(agencyId: string, year: number): Promise<StoredRecord | null> {
    const out = await this.#db.send(
      new QueryCommand({
        TableName: this.#table,
        IndexName: INDEX_BY_AGENCY_YEAR,
        KeyConditionExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': ATTR.gsi1pk },
        ExpressionAttributeValues: { ':p': { S: agencyYearPk(agencyId, year) } },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    return decode(out.Items?.[0]);
  }

  /**
   * The latest upload of an agency declared for (or read as) a year, failed ones included: the
   * `bySubmission` index, then its version item (the index keeps only the small attributes). What the
   * reminders ask: `latest` reads only records with a year read from them, which a FAILED one never has,
   * so an agency whose only upload was unreadable was told nothing had arrived (issue 22).
   */
  async latestSubmitted(agencyId: string, year: number): Promise<StoredRecord | null> {
    const out = await this.#db.send(
      new QueryCommand(submissionsQuery(this.#table, agencyId, year, { limit: 1 })),
    );
    const keys = out.Items?.[0];
    const pk = keys?.[ATTR.pk]?.S;
    const sk = keys?.[ATTR.sk]?.S;
    return pk === undefined || sk === undefined ? null : decode(await this.item(pk, sk));
  }

  /** The record of a key's latest version, or null while the pipeline has not finished with it. */
  async current(key: string): Promise<ReportRecord | null> {
    return decode(await this.item(uploadPk(key), CURRENT_SK))?.record ?? null;
  }

  /** Every key's current record (a consistent scan: for the local run's listing, not for the pipeline). */
  async currentRecords(): Promise<ReportRecord[]> {
    return (await this.#scan('#sk = :sk', CURRENT_SK)).map((s) => s.record);
  }

  /** Every stored version item (a consistent scan: for the local run's crash audit). */
  versions(): Promise<StoredRecord[]> {
    return this.#scan('begins_with(#sk, :sk)', VERSION_SK_PREFIX);
  }

  async #scan(filter: string, sk: string): Promise<StoredRecord[]> {
    const found: StoredRecord[] = [];
    let start: ScanCommandOutput['LastEvaluatedKey'];
    do {
      const out = await this.#db.send(
        new ScanCommand({
          TableName: this.#table,
          FilterExpression: filter,
          ExpressionAttributeNames: { '#sk': ATTR.sk },
          ExpressionAttributeValues: { ':sk': { S: sk } },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of out.Items ?? []) {
        const stored = decode(item);
        if (stored !== null) found.push(stored);
      }
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
    return found;
  }

  /** One raw item, read consistently (the local stream harness compares images with it). */
  async item(pk: string, sk: string) {
    const out = await this.#db.send(
      new GetItemCommand({
        TableName: this.#table,
        Key: { [ATTR.pk]: { S: pk }, [ATTR.sk]: { S: sk } },
        ConsistentRead: true,
      }),
    );
    return out.Item;
  }
}

/** `SET #a0 = :a0, …` for a map of attributes. */
function update(attributes: Values) {
  const names: Record<string, string> = {};
  const values: Values = {};
  const sets: string[] = [];
  Object.entries(attributes).forEach(([name, value], i) => {
    names[`#a${i}`] = name;
    values[`:a${i}`] = value;
    sets.push(`#a${i} = :a${i}`);
  });
  return { expression: `SET ${sets.join(', ')}`, names, values };
}
