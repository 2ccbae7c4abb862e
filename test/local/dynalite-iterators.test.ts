import { createRequire } from 'node:module';
import { PutItemCommand, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { startDynalite } from '../../local/emulators.ts';

/**
 * Every read of the local DynamoDB closes the LevelDB iterator it opened (issue 22 N9): dynalite closes
 * them with `return()`, which abstract-level's iterators lacked, so each Query and Scan left one open and
 * `--serve` grew with every poll. The iterators are counted as they are read and closed.
 */
const fromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
const memoryLevel = fromDynalite.resolve('memory-level');
const { AbstractValueIterator } = createRequire(memoryLevel)('abstract-level') as {
  AbstractValueIterator: { prototype: object };
};
type Tracked = { next: (...a: unknown[]) => Promise<unknown>; close: () => Promise<void> };
const common = Object.getPrototypeOf(AbstractValueIterator.prototype) as Tracked;

describe('the local DynamoDB closes its iterators', () => {
  it('leaves no iterator open after 60 Queries and Scans', async () => {
    const open = new Set<object>();
    const { next, close } = common;
    common.next = function (this: object, ...args: unknown[]) {
      open.add(this);
      return next.apply(this, args);
    };
    common.close = function (this: object) {
      open.delete(this);
      return close.apply(this);
    };
    const dynamo = await startDynalite('reports');
    try {
      for (let i = 0; i < 5; i++) {
        await dynamo.db.send(
          new PutItemCommand({ TableName: 'reports', Item: { pk: { S: 'upload#k' }, sk: { S: `v${i}` } } }),
        );
      }
      for (let i = 0; i < 30; i++) {
        await dynamo.db.send(
          new QueryCommand({
            TableName: 'reports',
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': { S: 'upload#k' } },
            Limit: 2,
          }),
        );
        await dynamo.db.send(new ScanCommand({ TableName: 'reports' }));
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(open.size).toBeLessThanOrEqual(1);
    } finally {
      common.next = next;
      common.close = close;
      await dynamo.stop();
    }
  });
});
