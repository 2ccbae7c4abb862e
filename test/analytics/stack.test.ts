import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION_COLUMNS } from '../../functions/analytics/columns.ts';
import { forEngine } from '../../functions/analytics/dialect.ts';
import { LocalDataset } from '../../functions/analytics/duckdb.ts';
import { SAVED_QUERIES, VIEWS } from '../../functions/analytics/queries.ts';
import { loadRegistry } from '../../functions/pipeline/registry.ts';
import { VIEW_COLUMNS } from '../../lib/constructs/analytics.ts';
import { ReportPipelineStack } from '../../lib/report-pipeline-stack.ts';

/**
 * The stack's analytics (lib/constructs/analytics.ts) on the synthesized template: the Glue tables with
 * year partitions projected over the export's layout, the views as Glue views whose columns are the ones the
 * SQL yields (checked on DuckDB), the workgroup's enforced settings and scan cap, the named queries, and the
 * stream consumer taking review items. cdk-nag runs on the whole stack in test/cdk/stack.test.ts.
 */
let template: Template;
let root: string;
let dataset: LocalDataset;
beforeAll(async () => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  template = Template.fromStack(new ReportPipelineStack(app, 'Test', { registry: loadRegistry() }));
  root = mkdtempSync(path.join(tmpdir(), 'stack-views-'));
  dataset = await LocalDataset.open(root, loadRegistry());
}, 120_000);
afterAll(() => {
  dataset?.close();
  rmSync(root, { recursive: true, force: true });
});

const tables = () => template.findResources('AWS::Glue::Table');
const table = (name: string) =>
  Object.values(tables()).find((t) => t.Properties.TableInput.Name === name)?.Properties.TableInput;

describe('Glue', () => {
  it('has one database and the three Parquet tables with the year partition projected (no crawler)', () => {
    template.resourceCountIs('AWS::Glue::Database', 1);
    template.resourceCountIs('AWS::Glue::Crawler', 0);
    for (const name of ['report_versions', 'findings', 'review_decisions']) {
      const input = table(name);
      expect(input.PartitionKeys).toEqual([expect.objectContaining({ Name: 'year', Type: 'int' })]);
      expect(input.Parameters).toMatchObject({
        classification: 'parquet',
        'projection.enabled': 'true',
        'projection.year.type': 'integer',
        'projection.year.range': '0,2100',
      });
      const location = JSON.stringify(input.Parameters['storage.location.template']);
      expect(location).toContain(`/exports/analytics/v1/${name}/year=\${year}/`);
      expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary).toMatch(/ParquetHiveSerDe/);
    }
    expect(table('report_versions').StorageDescriptor.Columns.map((c: { Name: string }) => c.Name)).toEqual(
      VERSION_COLUMNS.map((c) => c.name),
    );
  });

  it('holds each view as Athena does, with the SQL of queries.ts and the columns the SQL yields on DuckDB', async () => {
    const duckType: Record<string, string> = {
      VARCHAR: 'string',
      INTEGER: 'int',
      BIGINT: 'bigint',
      DOUBLE: 'double',
      TIMESTAMP: 'timestamp',
    };
    for (const view of VIEWS) {
      const input = table(view.name);
      expect(input.TableType).toBe('VIRTUAL_VIEW');
      const encoded = /\/\* Presto View: (.*) \*\//.exec(input.ViewOriginalText)?.[1] ?? '';
      const definition = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
      expect(definition.originalSql).toBe(forEngine(view.sql, 'athena').sql.trim());
      const { rows } = await dataset.sql(
        `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '${view.name}' ORDER BY ordinal_position`,
      );
      const derived = rows.map((r) => [r.column_name, duckType[String(r.data_type)] ?? r.data_type]);
      expect(derived).toEqual((VIEW_COLUMNS[view.name] ?? []).map((c) => [c.name, c.type]));
      expect(definition.columns.map((c: { name: string }) => c.name)).toEqual(derived.map(([n]) => n));
    }
  });

  it("reads the registry's table from the JSON lines the export function writes, with no deployment function", () => {
    const bodies = table('bodies');
    expect(bodies.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe(
      'org.openx.data.jsonserde.JsonSerDe',
    );
    expect(JSON.stringify(bodies.StorageDescriptor.Location)).toContain('/exports/analytics/v1/bodies/');
    template.resourceCountIs('Custom::CDKBucketDeployment', 0);
  });
});

describe('Athena', () => {
  it('has a workgroup on engine 3 with its settings enforced, results encrypted in its own bucket and a scan cap', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      State: 'ENABLED',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 1024 ** 3,
        PublishCloudWatchMetricsEnabled: true,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        ResultConfiguration: {
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
          OutputLocation: Match.anyValue(),
        },
      },
    });
    const results = Object.values(template.findResources('AWS::S3::Bucket')).filter((b) =>
      JSON.stringify(b.Properties?.LifecycleConfiguration ?? {}).includes('ExpireResults'),
    );
    expect(results).toHaveLength(1);
    expect(results[0]?.Properties.BucketEncryption).toBeDefined();
    expect(results[0]?.Properties.LoggingConfiguration).toBeDefined();
  });

  it('has every saved query as a named query of the workgroup, in the Athena form', () => {
    const named = Object.values(template.findResources('AWS::Athena::NamedQuery'));
    expect(named.map((q) => q.Properties.Name).sort()).toEqual(
      SAVED_QUERIES.map((q) => `${q.name} ${q.title}`).sort(),
    );
    for (const q of SAVED_QUERIES) {
      const found = named.find((n) => n.Properties.Name.startsWith(`${q.name} `));
      expect(found?.Properties.QueryString).toBe(forEngine(q.sql, 'athena').sql.trim());
      expect(found?.Properties.WorkGroup).toBeDefined();
    }
  });
});

describe('the stream consumer', () => {
  it('receives report and review items, batched up to five minutes', () => {
    const sources = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).filter((m) =>
      JSON.stringify(m.Properties.FunctionName).includes('Export'),
    );
    expect(sources).toHaveLength(1);
    const mapping = sources[0]?.Properties;
    expect(mapping.MaximumBatchingWindowInSeconds).toBe(300);
    expect(mapping.BatchSize).toBe(1000);
    const patterns = mapping.FilterCriteria.Filters.map((f: { Pattern: string }) => JSON.parse(f.Pattern));
    expect(
      patterns.map(
        (p: { dynamodb: { Keys: { pk: { S: [{ prefix: string }] } } } }) => p.dynamodb.Keys.pk.S[0]?.prefix,
      ),
    ).toEqual(['upload#', 'review#']);
  });
});
