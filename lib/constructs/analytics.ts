import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  type Column,
  type ColumnType,
  DATASET_VERSION,
  type DatasetTable,
  FINDING_COLUMNS,
  PARTITION,
  TABLES_OF_DATASET,
  VERSION_COLUMNS,
} from '../../functions/analytics/columns.ts';
import { ANALYTICS_PREFIX, PROJECTED_YEARS, tableLocation } from '../../functions/analytics/dataset.ts';
import { forEngine } from '../../functions/analytics/dialect.ts';
import { SAVED_QUERIES, VIEWS } from '../../functions/analytics/queries.ts';

export interface AnalyticsProps {
  /** The bucket the export consumer writes the dataset into (under exports/analytics/). */
  dataBucket: s3.IBucket;
  /** Where the query-result bucket logs its access. */
  accessLogsBucket: s3.IBucket;
  /** Athena cancels a query that would scan more (bytes; default 1 GB, 2,000× a 5,000-body year). */
  bytesScannedCutoffPerQuery?: number;
  /** How long query results are kept (default 30 days). */
  resultRetention?: Duration;
}

/** Glue (Hive) column types of the dataset's Parquet columns, and Trino's for the views' definitions. */
const GLUE_TYPE: Record<ColumnType, string> = {
  string: 'string',
  int: 'int',
  bigint: 'bigint',
  double: 'double',
  timestamp: 'timestamp',
  boolean: 'boolean',
};
const TRINO_TYPE: Record<ColumnType, string> = {
  string: 'varchar',
  int: 'integer',
  bigint: 'bigint',
  double: 'double',
  timestamp: 'timestamp(3)',
  boolean: 'boolean',
};

/** The columns each view yields, in order (the Glue view must declare what Athena derives). */
const VERSIONS_OUT: Column[] = [
  ...VERSION_COLUMNS,
  PARTITION,
  { name: 'export_rank', type: 'bigint', comment: '' },
  {
    name: 'review_status',
    type: 'string',
    comment: 'ACCEPTED, CHANGES_REQUESTED, PENDING_REVIEW; null for FAILED',
  },
];
export const VIEW_COLUMNS: Record<string, readonly Column[]> = {
  versions: VERSIONS_OUT,
  latest_versions: [...VERSIONS_OUT, { name: 'latest_rank', type: 'bigint', comment: '' }],
  summary_versions: [...VERSIONS_OUT, { name: 'summary_rank', type: 'bigint', comment: '' }],
  current_findings: [...FINDING_COLUMNS, PARTITION],
};

/** Glue column comments hold at most 255 characters. */
const glueColumn = (c: Column) => ({
  name: c.name,
  type: GLUE_TYPE[c.type],
  comment: c.comment.slice(0, 255),
});

/**
 * The analytics side of the pipeline (docs/analytics.md): a Glue database with the dataset's tables, their
 * year partitions projected (no crawler, no partition to add: Athena computes `year=…/` from the table's
 * properties), the views of functions/analytics/queries.ts as Glue views, the registry's supervision tree as
 * a table (its file written by the export function), and an Athena workgroup (engine 3) with its own encrypted result bucket,
 * its settings enforced on every query and a cap on the bytes one query may scan; each saved query is a
 * named query of that workgroup. Columns, views and queries all come from functions/analytics/.
 */
export class Analytics extends Construct {
  readonly database: glue.CfnDatabase;
  readonly databaseName: string;
  readonly workgroup: athena.CfnWorkGroup;
  readonly resultsBucket: s3.Bucket;
  readonly tables: Record<string, glue.CfnTable> = {};
  readonly #props: AnalyticsProps;

  constructor(scope: Construct, id: string, props: AnalyticsProps) {
    super(scope, id);
    this.#props = props;
    const stack = Stack.of(this);
    // Glue names: lower case, digits and underscores.
    this.databaseName = `${stack.stackName.toLowerCase().replace(/[^a-z0-9_]/g, '_')}_analytics`;
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: stack.account,
      databaseInput: {
        name: this.databaseName,
        description: `政府信息公开工作年度报告数据集 v${DATASET_VERSION}（report-pipeline）`,
      },
    });
    this.database.applyRemovalPolicy(RemovalPolicy.RETAIN);

    const location = (table: DatasetTable) => `s3://${props.dataBucket.bucketName}/${tableLocation(table)}`;
    for (const table of [
      TABLES_OF_DATASET.versions,
      TABLES_OF_DATASET.findings,
      TABLES_OF_DATASET.decisions,
    ]) {
      this.tables[table.name] = this.#table(table.name, {
        name: table.name,
        description: `dataset v${DATASET_VERSION}, Parquet (Snappy), one folder per submission year`,
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: [glueColumn(PARTITION)],
        parameters: {
          classification: 'parquet',
          'parquet.compression': 'SNAPPY',
          'projection.enabled': 'true',
          'projection.year.type': 'integer',
          'projection.year.range': `${PROJECTED_YEARS.min},${PROJECTED_YEARS.max}`,
          'storage.location.template': `${location(table)}year=\${year}/`,
          'report_pipeline.dataset_version': String(DATASET_VERSION),
        },
        storageDescriptor: {
          columns: table.columns.map(glueColumn),
          location: location(table),
          inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        },
      });
    }

    // The supervision tree: one JSON line per (agency, office above it), written by the export function
    // from the registry it is bundled with (functions/analytics/export.ts), so it follows each deploy.
    const bodies = TABLES_OF_DATASET.bodies;
    this.tables[bodies.name] = this.#table(bodies.name, {
      name: bodies.name,
      description: 'the registry: each agency once per office above it (depth 1 = directly)',
      tableType: 'EXTERNAL_TABLE',
      parameters: { classification: 'json' },
      storageDescriptor: {
        columns: bodies.columns.map(glueColumn),
        location: location(bodies),
        inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
        serdeInfo: { serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' },
      },
    });

    for (const view of VIEWS) this.#view(view.name, view.description, view.sql);

    this.resultsBucket = new s3.Bucket(this, 'Results', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'athena-results/',
      lifecycleRules: [
        { id: 'ExpireResults', expiration: props.resultRetention ?? Duration.days(30) },
        { id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.workgroup = new athena.CfnWorkGroup(this, 'Workgroup', {
      name: `${stack.stackName}-analytics`,
      description: '年报数据集查询（结果加密，强制工作组设置，单次扫描上限）',
      state: 'ENABLED',
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery ?? 1024 ** 3,
        publishCloudWatchMetricsEnabled: true,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${this.resultsBucket.bucketName}/results/`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });
    for (const query of SAVED_QUERIES) {
      const named = new athena.CfnNamedQuery(this, `Query-${query.name}`, {
        name: `${query.name} ${query.title}`,
        description:
          `${query.description}。参数（按 ? 的顺序）：${forEngine(query.sql, 'athena').positional.join(', ')}；年度如 2024，机构如 'huaian-office'，全部机关用 NULL`.slice(
            0,
            1024,
          ),
        database: this.databaseName,
        workGroup: this.workgroup.ref,
        queryString: forEngine(query.sql, 'athena').sql.trim(),
      });
      named.addResourceDependency(this.workgroup);
      named.addResourceDependency(this.database);
    }
  }

  #table(id: string, tableInput: glue.CfnTable.TableInputProperty): glue.CfnTable {
    const stack = Stack.of(this);
    const table = new glue.CfnTable(this, `Table-${id}`, {
      catalogId: stack.account,
      databaseName: this.databaseName,
      tableInput,
    });
    table.addResourceDependency(this.database);
    return table;
  }

  /**
   * A view as Athena stores one in Glue: `VIRTUAL_VIEW` with the Trino SQL and its columns, base64 JSON
   * in `/* Presto View: … *\/`. Its columns must be the ones Athena derives from the SQL, else Athena calls
   * the view stale (test/cdk/analytics.test.ts holds them to the view's own columns on DuckDB).
   */
  #view(name: string, description: string, sql: string): void {
    const columns = VIEW_COLUMNS[name];
    if (columns === undefined) throw new Error(`no columns declared for view ${name}`);
    const definition = {
      originalSql: forEngine(sql, 'athena').sql.trim(),
      catalog: 'awsdatacatalog',
      schema: this.databaseName,
      columns: columns.map((c) => ({ name: c.name, type: TRINO_TYPE[c.type] })),
      owner: 'report-pipeline',
      runAsInvoker: false,
    };
    this.tables[name] = this.#table(name, {
      name,
      description,
      tableType: 'VIRTUAL_VIEW',
      parameters: { presto_view: 'true', comment: 'Presto View' },
      viewOriginalText: `/* Presto View: ${Buffer.from(JSON.stringify(definition)).toString('base64')} */`,
      viewExpandedText: '/* Presto View */',
      storageDescriptor: { columns: columns.map(glueColumn), serdeInfo: {} },
    });
  }

  /** Lets a user or role run the workgroup's queries over the dataset and read their results. */
  grantQuery(grantee: iam.IGrantable): void {
    const stack = Stack.of(this);
    iam.Grant.addToPrincipal({
      grantee,
      actions: [
        'athena:StartQueryExecution',
        'athena:GetQueryExecution',
        'athena:GetQueryResults',
        'athena:StopQueryExecution',
        'athena:GetWorkGroup',
        'athena:ListNamedQueries',
        'athena:GetNamedQuery',
        'athena:BatchGetNamedQuery',
      ],
      resourceArns: [
        stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.workgroup.ref }),
      ],
    });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartitions'],
      resourceArns: [
        stack.formatArn({ service: 'glue', resource: 'catalog', arnFormat: ArnFormat.NO_RESOURCE_NAME }),
        stack.formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName }),
        stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${this.databaseName}/*` }),
      ],
    });
    this.#props.dataBucket.grantRead(grantee, `${ANALYTICS_PREFIX}*`);
    this.resultsBucket.grantReadWrite(grantee);
  }
}
