/**
 * Status of a year for an office on dynalite: a generated registry (a province office over city offices
 * over BENCH_STATUS_AGENCIES agencies) and BENCH_STATUS_VERSIONS stored upload versions spread over three
 * years, written in the table's own layout. Reports, per status query, the median time and the number of
 * DynamoDB requests, for the province office (every agency) and for one city office (its own agencies
 * only: the cost does not follow other offices' reports).
 *
 * Run alone: `node bench/status.ts`; `npm run bench` runs it last. Defaults are small to keep the bench
 * quick; the issue's size is BENCH_STATUS_AGENCIES=2000 BENCH_STATUS_VERSIONS=10000.
 */
import {
  type AttributeValue,
  BatchWriteItemCommand,
  type BatchWriteItemCommandOutput,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { DynamoSubmissionReader } from '../functions/adapters/dynamo-submission-reader.ts';
import { parseRegistry } from '../functions/pipeline/registry.ts';
import { ATTR, CURRENT_SK } from '../functions/pipeline/table-layout.ts';
import { officeYearStatus } from '../functions/pipeline/year-status.ts';
import type { ReportRecord } from '../functions/report/index.ts';
import { itemKeys, recordAttributes } from '../functions/stream/items.ts';
import { startDynalite } from '../local/emulators.ts';
import { checkText, sampleText } from '../test/report/helpers.ts';

const AGENCIES = Number(process.env.BENCH_STATUS_AGENCIES ?? 400);
const VERSIONS = Number(process.env.BENCH_STATUS_VERSIONS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CITIES = Math.max(1, Math.round(AGENCIES / 100));
const TABLE = 'reports';

export async function benchStatus(): Promise<void> {
  const registry = parseRegistry({
    operators: [],
    offices: [
      { id: 'province', name: '省政务公开办', supervisors: [] },
      ...Array.from({ length: CITIES }, (_, c) => ({
        id: `city-${c}`,
        name: `市${c}政务公开办`,
        supervisors: [],
        supervisedBy: ['province'],
      })),
    ],
    agencies: Array.from({ length: AGENCIES }, (_, i) => ({
      id: `agency-${i}`,
      name: `机关${i}`,
      kind: i % 10 === 0 ? 'government' : 'department',
      supervisors: [],
      supervisedBy: [`city-${i % CITIES}`],
    })),
  });

  const dynamo = await startDynalite(TABLE);
  let requests = 0;
  dynamo.db.middlewareStack.add(
    (next) => async (args) => {
      requests++;
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  try {
    // Versions: agency i gets versions i, i + AGENCIES, …; years 2022–2024 in turn; a few failed.
    const sample = await checkText(sampleText({ year: 2024 }));
    const started = performance.now();
    const items: Record<string, AttributeValue>[] = [];
    for (let v = 0; v < VERSIONS; v++) {
      const agencyId = `agency-${v % AGENCIES}`;
      const year = 2022 + (Math.floor(v / AGENCIES) % 3);
      const key = `incoming/${agencyId}/${year}/${String(v).padStart(8, '0')}-00000000-0000-0000-0000-年报.pdf`;
      const record: ReportRecord = {
        ...sample,
        agencyId,
        year,
        status: v % 17 === 0 ? 'FAILED' : sample.status,
        upload: {
          bucket: 'b',
          key,
          versionId: `v${v}`,
          sequencer: v.toString(16).padStart(32, '0'),
          eventTime: new Date(Date.UTC(year + 1, 0, 1) + v * 60_000).toISOString(),
          size: 1,
        },
      };
      const keys = itemKeys(record);
      const attributes = { ...recordAttributes(record), [ATTR.pk]: { S: keys.pk } };
      items.push({ ...attributes, [ATTR.sk]: { S: keys.versionSk }, ...keys.index });
      items.push({ ...attributes, [ATTR.sk]: { S: CURRENT_SK } });
    }
    const batches = Array.from({ length: Math.ceil(items.length / 25) }, (_, b) =>
      items.slice(b * 25, b * 25 + 25),
    );
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < batches.length) {
          const batch = batches[next++] ?? [];
          let pending: Record<string, WriteRequest[]> | undefined = {
            [TABLE]: batch.map((Item) => ({ PutRequest: { Item } })),
          };
          while (pending !== undefined && Object.keys(pending).length > 0) {
            const out: BatchWriteItemCommandOutput = await dynamo.db.send(
              new BatchWriteItemCommand({ RequestItems: pending }),
            );
            pending = out.UnprocessedItems;
          }
        }
      }),
    );
    const loadSeconds = (performance.now() - started) / 1000;

    const reader = new DynamoSubmissionReader(dynamo.db, TABLE);
    const measure = async (office: string) => {
      const times: number[] = [];
      let perQuery = 0;
      let agencies = 0;
      for (let r = 0; r < ROUNDS; r++) {
        requests = 0;
        const t = performance.now();
        const status = await officeYearStatus(registry, office, 2024, reader);
        times.push(performance.now() - t);
        perQuery = requests;
        agencies = status.counts.total;
      }
      times.sort((a, b) => a - b);
      return { agencies, ms: times[Math.floor(times.length / 2)] ?? 0, requests: perQuery };
    };
    const province = await measure('province');
    const city = await measure('city-0');
    console.log(
      `\n## Supervision status on dynalite (${AGENCIES} agencies under ${CITIES} city offices, ${VERSIONS} stored versions, loaded in ${loadSeconds.toFixed(1)} s)`,
    );
    console.log('| status query (year 2024, median) | agencies | time | DynamoDB requests | per agency |');
    console.log('|---|---:|---:|---:|---:|');
    for (const [name, m] of [
      ['province office (all)', province],
      ['one city office', city],
    ] as const) {
      console.log(
        `| ${name} | ${m.agencies} | ${m.ms.toFixed(0)} ms | ${m.requests} | ${(m.ms / m.agencies).toFixed(2)} ms |`,
      );
    }
  } finally {
    await dynamo.stop();
  }
}

if (import.meta.main) await benchStatus();
