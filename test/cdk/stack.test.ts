import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { reportsTableDefinition } from '../../functions/adapters/table-definition.ts';
import { OIDC_CLAIMS } from '../../functions/api/claims.ts';
import type { Registry } from '../../functions/pipeline/registry.ts';
import { topicsDigest } from '../../functions/pipeline/topic-sync.ts';
import { OCR_MEMORY_MB, OCR_TIMEOUT } from '../../lib/constructs/ocr-function.ts';
import type { Identity } from '../../lib/constructs/upload-api.ts';
import { EXTRACT_TIMEOUT, ReportPipelineStack } from '../../lib/report-pipeline-stack.ts';
import { generatedRegistry } from '../support/big-registry.ts';

/**
 * The stack's promises, property by property, on the synthesized template. Bundling is skipped here
 * (`aws:cdk:bundling-stacks`); test/cdk/bundle.test.ts bundles the extract function for real.
 */
const registry: Registry = {
  operators: ['ops@example.gov.cn'],
  offices: [
    { id: 'huaian-office', name: '淮安市政务公开办', supervisors: ['o@example.gov.cn'], supervisedBy: [] },
  ],
  agencies: [
    {
      id: 'huaian-gov',
      name: '淮安市人民政府',
      kind: 'government',
      supervisors: ['a@example.gov.cn'],
      supervisedBy: ['huaian-office'],
    },
    {
      id: 'qinghe-edu',
      name: '清河区教育局',
      kind: 'department',
      supervisors: ['b@example.gov.cn', 'c@example.gov.cn'],
      supervisedBy: ['huaian-office'],
    },
  ],
};

let template: Template;
let stack: ReportPipelineStack;
beforeAll(() => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  stack = new ReportPipelineStack(app, 'Test', { registry });
  template = Template.fromStack(stack);
});

describe('upload bucket', () => {
  it('is versioned, encrypted, private, SSL-only, logged, with lifecycle rules, and retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: Match.objectLike({}),
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'uploads/' }),
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
              Status: 'Enabled',
            }),
            Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 365 }, Status: 'Enabled' }),
          ]),
        },
      }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('sends incoming/ uploads to the extract queue and extracted/ documents to the parse queue', () => {
    const notifications = template.findResources('Custom::S3BucketNotifications');
    const config = Object.values(notifications)[0]?.Properties?.NotificationConfiguration;
    const prefixes = config.QueueConfigurations.map(
      (q: { Filter: { Key: { FilterRules: { Name: string; Value: string }[] } } }) =>
        q.Filter.Key.FilterRules.find((r) => r.Name === 'prefix')?.Value,
    );
    expect(prefixes.sort()).toEqual(['extracted/', 'incoming/']);
    expect(
      config.QueueConfigurations.every((q: { Events: string[] }) => q.Events[0] === 's3:ObjectCreated:*'),
    ).toBe(true);
  });
});

describe('buffered triggers', () => {
  it('queues are SQS-encrypted, SSL-only, with a DLQ after 5 receives and visibility 6 × the timeout', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    const withDlq = Object.values(queues).filter((q) => q.Properties?.RedrivePolicy !== undefined);
    // Extract, parse, and the group-robot notices (30 s function).
    expect(withDlq).toHaveLength(3);
    const timeouts = withDlq.map((q) => q.Properties.VisibilityTimeout).sort((a, b) => a - b);
    expect(timeouts).toEqual([30 * 6, 30 * 6, EXTRACT_TIMEOUT.toSeconds() * 6]);
    for (const q of withDlq) expect(q.Properties.RedrivePolicy.maxReceiveCount).toBeGreaterThanOrEqual(5);
    for (const q of Object.values(queues)) expect(q.Properties.SqsManagedSseEnabled).toBe(true);
    template.resourcePropertiesCountIs(
      'AWS::SQS::QueuePolicy',
      {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      },
      Object.keys(queues).length,
    );
  });

  it('event sources report partial batch failures', () => {
    template.resourcePropertiesCountIs(
      'AWS::Lambda::EventSourceMapping',
      { FunctionResponseTypes: ['ReportBatchItemFailures'] },
      5,
    );
  });

  it('alarms watch each dead-letter queue and each function', () => {
    // The three triggers' dead-letter queues (extract, parse, webhooks) and the three failure queues
    // (export, re-evaluation, reminders); the errors of the three triggered functions.
    template.resourcePropertiesCountIs(
      'AWS::CloudWatch::Alarm',
      { MetricName: 'ApproximateNumberOfMessagesVisible' },
      6,
    );
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'Errors' }, 3);
  });
});

describe('outputs', () => {
  it("the robots' queue the topic sync subscribes is an output, for `topics sync --webhook-queue-arn`", () => {
    const output = template.findOutputs('WebhookQueueArn').WebhookQueueArn;
    const [synced] = Object.values(template.findResources('Custom::RegistryTopics'));
    expect(output?.Value).toBeDefined();
    expect(output?.Value).toEqual(synced?.Properties.WebhookQueueArn);
    expect(template.findOutputs('TopicKeyArn').TopicKeyArn?.Value).toEqual(synced?.Properties.KeyArn);
  });
});

describe('functions', () => {
  it('are Node 24 on arm64 with explicit memory and timeout, and log to retained groups', () => {
    const fns = Object.values(template.findResources('AWS::Lambda::Function')).filter(
      (f) => f.Properties.Runtime === 'nodejs24.x',
    );
    // The pipeline's six, the topic sync, the pages' publication, the group-robot notices and the OCR.
    expect(fns).toHaveLength(10);
    for (const f of fns) {
      expect(f.Properties.Architectures).toEqual(['arm64']);
      expect(f.Properties.MemorySize).toBeGreaterThan(0);
      expect(f.Properties.Timeout).toBeGreaterThan(0);
      expect(f.Properties.LoggingConfig).toBeDefined();
    }
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  it('the parse function knows the table and the topics; the extract function gets one full vCPU (1769 MB) for pdf.js', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 1769,
      Timeout: EXTRACT_TIMEOUT.toSeconds(),
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: 'report-pipeline-extract',
          OCR_FUNCTION_NAME: Match.anyValue(),
        }),
      },
    });
    // Scanned reports (issue 24): the OCR function of its own, waited for within the extract time-out.
    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: OCR_MEMORY_MB,
      Timeout: OCR_TIMEOUT.toSeconds(),
      Architectures: ['arm64'],
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'report-pipeline-ocr' }) },
    });
    expect(EXTRACT_TIMEOUT.toSeconds()).toBeGreaterThan(OCR_TIMEOUT.toSeconds());
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          TABLE_NAME: Match.anyValue(),
          AGENCY_TOPIC_ARN_PREFIX: Match.anyValue(),
          OPERATORS_TOPIC_ARN: Match.anyValue(),
        }),
      },
    });
  });

  it('permissions come from grants scoped to prefixes: extract reads incoming/, writes extracted/', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const extract = Object.entries(policies).find(([id]) =>
      id.startsWith('ExtractServiceRoleDefaultPolicy'),
    )?.[1];
    const text = JSON.stringify(extract);
    expect(text).toContain('/incoming/*');
    expect(text).toContain('/extracted/*');
    expect(text).not.toContain('dynamodb:');
    expect(text).not.toContain('sns:Publish');
  });

  it('the stream consumer bisects, retries a bounded number of times and has an on-failure queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 86400,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      StartingPosition: 'TRIM_HORIZON',
    });
  });

  it('the re-evaluation consumer reads version items of the stream, bounded, with its own on-failure queue', () => {
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).filter((m) =>
      m.Properties.FilterCriteria?.Filters[0].Pattern.includes('version#'),
    );
    expect(mappings).toHaveLength(1);
    const mapping = mappings[0]?.Properties;
    expect(mapping).toMatchObject({
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 86400,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: expect.anything() } },
    });
    expect(JSON.parse(mapping.FilterCriteria.Filters[0].Pattern)).toEqual({
      eventName: ['INSERT', 'MODIFY'],
      dynamodb: { Keys: { sk: { S: [{ prefix: 'version#' }] } } },
    });
    const reevaluate = Object.entries(template.findResources('AWS::Lambda::Function')).find(
      ([, f]) =>
        f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'report-pipeline-reevaluate',
    )?.[1];
    expect(reevaluate?.Properties.Environment.Variables).toMatchObject({
      TABLE_NAME: expect.anything(),
      NOTICE_LEASE_MS: '30000',
    });
  });
});

describe('reports table', () => {
  it('is on demand, with point-in-time recovery, a NEW_AND_OLD_IMAGES stream, its two indexes, retained', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          Match.objectLike({
            IndexName: 'byAgencyYear',
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
          }),
          Match.objectLike({
            IndexName: 'bySubmission',
            KeySchema: [
              { AttributeName: 'gsi2pk', KeyType: 'HASH' },
              { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
            ],
          }),
        ],
      }),
    });
  });

  it('declares the same keys and index as the table definition the local run and the tests create', () => {
    const table = Object.values(template.findResources('AWS::DynamoDB::Table'))[0]?.Properties;
    const local = reportsTableDefinition('x');
    expect(table.KeySchema).toEqual(local.KeySchema);
    expect(
      table.GlobalSecondaryIndexes.map(
        (i: { IndexName: string; KeySchema: unknown; Projection: unknown }) => [
          i.IndexName,
          i.KeySchema,
          i.Projection,
        ],
      ),
    ).toEqual(local.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.KeySchema, i.Projection]));
    expect(
      new Set(table.AttributeDefinitions.map((a: { AttributeName: string }) => a.AttributeName)),
    ).toEqual(new Set(local.AttributeDefinitions?.map((a) => a.AttributeName)));
  });
});

describe('topics', () => {
  it("the operators' topic is a stack resource, KMS-encrypted, with its e-mail subscribers; registry topics are not", () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'Test-operators',
      KmsMasterKeyId: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'email' }, 1);
    template.resourcePropertiesCountIs(
      'AWS::SNS::TopicPolicy',
      {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      },
      1,
    );
  });

  it('a custom resource syncs the registry topics on each deploy that changes them', () => {
    const synced = Object.values(template.findResources('Custom::RegistryTopics'));
    expect(synced).toHaveLength(1);
    expect(synced[0]?.Properties).toMatchObject({
      Digest: topicsDigest(registry),
      KeyArn: expect.anything(),
      RemovedTopics: 'retain',
    });
    const sync = Object.values(template.findResources('AWS::Lambda::Function')).find(
      (f) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'report-pipeline-topicsync',
    );
    expect(sync?.Properties.Timeout).toBe(900);
    expect(sync?.Properties.Environment.Variables).toMatchObject({
      STACK_NAME: 'Test',
      TOPIC_ARN_PREFIX: expect.anything(),
      TOPIC_KEY_ARN: expect.anything(),
      REMOVED_TOPICS: 'retain',
    });
    // A registry change changes the digest, so CloudFormation calls the sync again.
    const renamed = structuredClone(registry);
    (renamed.agencies[0] as { name: string }).name = '淮安市人民政府办公室';
    expect(topicsDigest(renamed)).not.toBe(topicsDigest(registry));
  });

  it('the sync may manage topics under the two prefixes only, in one statement, and list', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const sync = Object.entries(policies).find(([id]) =>
      id.startsWith('TopicsSyncServiceRoleDefaultPolicy'),
    )?.[1];
    const statements = sync?.Properties.PolicyDocument.Statement as {
      Sid: string;
      Action: string[];
      Resource: unknown;
    }[];
    const manage = statements.find((s) => s.Sid === 'ManageRegistryTopics');
    expect(manage?.Action).toContain('sns:CreateTopic');
    expect(JSON.stringify(manage?.Resource)).toContain(':Test-agency-*');
    expect(JSON.stringify(manage?.Resource)).toContain(':Test-office-*');
    expect(manage?.Resource).toHaveLength(2);
    expect(statements.find((s) => s.Sid === 'ListTopicsAndSubscriptions')).toMatchObject({
      Action: ['sns:ListTopics', 'sns:ListSubscriptions'],
      Resource: '*',
    });
    expect(JSON.stringify(sync)).not.toContain('dynamodb:');
  });
});

describe('a province-sized registry', () => {
  const big = generatedRegistry(5000, 300);
  let bigTemplate: Template;
  let bigStack: ReportPipelineStack;
  let bigApp: App;
  beforeAll(() => {
    bigApp = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    bigStack = new ReportPipelineStack(bigApp, 'Test', { registry: big });
    bigTemplate = Template.fromStack(bigStack);
  }, 240_000);

  it('5,000 agencies and 300 offices synthesize under the 500-resource limit, as many as 2 agencies do', () => {
    const count = Object.keys(bigTemplate.toJSON().Resources).length;
    expect(count).toBeLessThan(500);
    expect(count).toBe(Object.keys(template.toJSON().Resources).length);
  });

  it("the publishers' policies do not grow with the registry", () => {
    const policies = (t: Template) =>
      Object.fromEntries(
        Object.entries(t.findResources('AWS::IAM::Policy')).map(([id, p]) => [
          id,
          p.Properties.PolicyDocument,
        ]),
      );
    expect(policies(bigTemplate)).toEqual(policies(template));
  });

  it('is cdk-nag clean', () => {
    const report = new AwsSolutionsChecks(bigApp).validateScope(bigStack);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });
});

describe('reminders', () => {
  it('a schedule runs every day at 09:00 China time, January to June, with the scheduled time, retries and a DLQ', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 9 * 1-6 ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      State: 'ENABLED',
      Target: Match.objectLike({
        Input: JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' }),
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 21600 },
        DeadLetterConfig: { Arn: Match.anyValue() },
      }),
    });
  });

  it('the function reads by key on the index, writes only reminder-log items, publishes on agency and office topics', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const remind = Object.entries(policies).find(([id]) =>
      id.startsWith('RemindServiceRoleDefaultPolicy'),
    )?.[1];
    const statements = remind?.Properties.PolicyDocument.Statement as {
      Action: string | string[];
      Resource: unknown;
      Condition?: unknown;
    }[];
    const text = JSON.stringify(statements);
    expect(text).not.toContain('dynamodb:Scan');
    expect(text).not.toContain('dynamodb:BatchWriteItem');
    const query = statements.find((s) => s.Action === 'dynamodb:Query');
    expect(JSON.stringify(query?.Resource)).toContain('/index/byAgencyYear');
    const writes = statements.find((s) => Array.isArray(s.Action) && s.Action.includes('dynamodb:PutItem'));
    expect(writes?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['reminder#*'] },
    });
    const publish = statements.find((s) => s.Action === 'sns:Publish');
    expect(JSON.stringify(publish?.Resource)).toContain(':Test-agency-*');
    expect(JSON.stringify(publish?.Resource)).toContain(':Test-office-*');
    expect(JSON.stringify(publish?.Resource)).not.toContain('operators');
  });

  it('the export consumer reads report items only, not the reminder log', () => {
    const filtered = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'))
      .map((m) => m.Properties.FilterCriteria?.Filters[0].Pattern)
      .filter((p): p is string => p !== undefined)
      .map((p) => JSON.parse(p));
    expect(filtered).toContainEqual({ dynamodb: { Keys: { pk: { S: [{ prefix: 'upload#' }] } } } });
  });
});

describe('upload API', () => {
  it('every route needs a Cognito user-pool token', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 7);
    template.allResourcesProperties('AWS::ApiGatewayV2::Route', { AuthorizationType: 'JWT' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /uploads' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /uploads' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /uploads/{id}' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /supervision/{year}' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /supervision/{year}/{agencyId}',
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /reports/{reportId}/findings/{fingerprint}/review',
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /summary/{year}' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
    });
  });

  it('the API writes review items only: PutItem held to review# partition keys, nothing else', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const api = Object.entries(policies).find(([id]) => id.startsWith('ApiServiceRoleDefaultPolicy'))?.[1];
    const statements = api?.Properties.PolicyDocument.Statement as {
      Action: string | string[];
      Condition?: unknown;
    }[];
    const writes = statements.filter((s) =>
      [s.Action].flat().some((a) => /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem|\*)$/.test(a)),
    );
    expect(writes).toEqual([
      expect.objectContaining({
        Action: 'dynamodb:PutItem',
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['review#*'] } },
      }),
    ]);
  });

  it('the API may list the bucket under incoming/ only (GET /uploads)', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 's3:ListBucket',
            Condition: { StringLike: { 's3:prefix': ['incoming/*'] } },
          }),
        ]),
      }),
    });
  });

  it('the user pool carries an immutable agency id, no self sign-up, MFA required, and is retained', () => {
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        MfaConfiguration: 'ON',
        Schema: Match.arrayWith([
          Match.objectLike({ Name: 'agencyId', Mutable: false }),
          Match.objectLike({ Name: 'officeId', Mutable: false }),
        ]),
      }),
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'supervisors' });
    const client = Object.values(template.findResources('AWS::Cognito::UserPoolClient'))[0]?.Properties;
    expect(client.ReadAttributes).toEqual(expect.arrayContaining(['custom:agencyId', 'custom:officeId']));
    expect(client.WriteAttributes ?? []).not.toContain('custom:agencyId');
    expect(client.WriteAttributes ?? []).not.toContain('custom:officeId');
  });

  it('CORS on the API and on the bucket for browser uploads; access logs and throttling on the stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({
        AllowMethods: ['GET', 'POST'],
        AllowHeaders: ['authorization', 'content-type'],
      }),
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedMethods: ['POST'] })] },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: 20 }),
    });
  });

  it('the API function may sign uploads under incoming/, read records and write review items, nothing more', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const api = JSON.stringify(
      Object.entries(policies).find(([id]) => id.startsWith('ApiServiceRoleDefaultPolicy'))?.[1],
    );
    expect(api).toContain('/incoming/*');
    expect(api).toContain('dynamodb:GetItem');
    // Its one write to the table is the review items' PutItem (held to review#… by the test above).
    expect(api.match(/dynamodb:PutItem/g)).toHaveLength(1);
    expect(api).not.toContain('dynamodb:UpdateItem');
    expect(api).not.toContain('/extracted/*');
    expect(api).not.toContain('sns:');
  });
});

describe('cdk-nag AwsSolutions', () => {
  // `cdk synth` passes the account and region it finds (CDK_DEFAULT_*): with them, ARNs hold literals.
  it.each([
    ['an environment-agnostic stack', undefined],
    ['a stack with a region only', { region: 'us-east-1' }],
    ['a stack with account and region in China', { account: '123456789012', region: 'cn-north-1' }],
  ])('%s: no unacknowledged finding, and every acknowledgement has a specific reason', (_, env) => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    // China has no Cognito user pools: an OpenID Connect issuer there (test/cdk/china.test.ts has more).
    const identity: Identity | undefined =
      env?.region === 'cn-north-1'
        ? {
            kind: 'oidc',
            issuer: 'https://idp.example.gov.cn',
            audience: ['reports'],
            clientId: 'reports',
            claims: OIDC_CLAIMS,
          }
        : undefined;
    const checked = new ReportPipelineStack(app, 'Nag', { registry, env, ...(identity ? { identity } : {}) });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const report = new AwsSolutionsChecks(app).validateScope(checked);
    expect(
      report.violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.resourceLogicalId)}`),
    ).toEqual([]);
    expect(report.success).toBe(true);
    const reasons = JSON.stringify(app.node.findAll().flatMap((c) => c.node.metadata.map((m) => m.data)));
    expect(reasons).not.toMatch(/"reason":"(?:.{0,20})"/);
  });
});

describe('stable logical ids', () => {
  // The logical ids of the stateful resources as deployed before the stack was split into parts: a
  // changed id would make CloudFormation create a new resource (and, for retained ones, orphan the old).
  const pinned: Record<string, string[]> = {
    'AWS::DynamoDB::Table': ['Reports65402A0A'],
    'AWS::S3::Bucket': ['AccessLogs8B620ECA', 'Uploads4F6EB0FD'],
    'AWS::SNS::Topic': ['TopicsOperatorsB5AF8BA6'],
    'AWS::KMS::Key': ['TopicsKey64CE8550'],
    'AWS::SQS::Queue': [
      'ExportFailures573E5825',
      'ExtractTriggerDeadLetterQueueEBBC8CC1',
      'ExtractTriggerQueueE911EA90',
      'ParseTriggerDeadLetterQueue17A3032D',
      'ParseTriggerQueueC5CA9F53',
      'ReevaluateFailuresC8707076',
      'RemindFailures15EF827F',
    ],
    'AWS::Cognito::UserPool': ['UploadApiUsersC17EF279'],
    'AWS::Logs::LogGroup': [
      'ApiLogs3D05D88B',
      'ExportLogsD40532E3',
      'ExtractLogs704CFF44',
      'ParseLogsF4F14D0A',
      'ReevaluateLogs3562BFD4',
      'RemindLogsAE4FD8B7',
      'TopicsSyncLogs28F9023D',
      'UploadApiAccessLogs7B8B326A',
    ],
  };
  it.each(Object.entries(pinned))('%s keeps its logical ids', (type, ids) => {
    const present = Object.keys(template.findResources(type));
    expect(present).toEqual(expect.arrayContaining(ids));
  });
});

describe('alarms', () => {
  it("every alarm's action is the operators' topic, which CloudWatch may publish to and encrypt for", () => {
    const topicId = Object.keys(
      template.findResources('AWS::SNS::Topic', { Properties: { TopicName: 'Test-operators' } }),
    )[0];
    const alarms = Object.entries(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThanOrEqual(7);
    for (const [id, alarm] of alarms) {
      expect(alarm.Properties.AlarmActions, id).toEqual([{ Ref: topicId }]);
    }
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AlarmsOfThisAccount',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
  });
});

describe('hosted pages', () => {
  it('a private bucket read by CloudFront through origin access control; the API routes on the same origin', () => {
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    const distribution = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]?.Properties
      .DistributionConfig;
    expect(distribution.DefaultRootObject).toBe('index.html');
    expect(distribution.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(distribution.CacheBehaviors.map((b: { PathPattern: string }) => b.PathPattern).sort()).toEqual([
      '/reports*',
      '/summary*',
      '/supervision*',
      '/uploads*',
    ]);
    expect(distribution.Logging).toMatchObject({ Prefix: 'pages/' });
  });

  it('security headers: a CSP without unsafe-inline, HSTS for two years, frames denied, no sniffing', () => {
    const policy = Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0]
      ?.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(policy.ContentSecurityPolicy.ContentSecurityPolicy).toMatch(
      /^default-src 'self'; script-src 'self' 'sha256-/,
    );
    expect(policy.ContentSecurityPolicy.ContentSecurityPolicy).not.toContain('unsafe-inline');
    expect(policy.ContentSecurityPolicy.ContentSecurityPolicy).toContain("frame-ancestors 'none'");
    expect(policy).toMatchObject({
      StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ContentTypeOptions: { Override: true },
    });
  });

  it("config.json carries the API (same origin), the issuer and the client; uploads are allowed from the pages' origin only", () => {
    const published = Object.values(template.findResources('Custom::HostedPages'))[0]?.Properties;
    const config = JSON.stringify(published.Config);
    expect(config).toContain('apiUrl');
    expect(config).toContain('ProviderURL');
    expect(config).toContain('UploadApiUsersUploadClient');
    expect(config).toContain('custom:agencyId');
    const uploads = Object.entries(template.findResources('AWS::S3::Bucket')).find(([id]) =>
      id.startsWith('Uploads'),
    )?.[1];
    const origins = JSON.stringify(uploads?.Properties.CorsConfiguration.CorsRules[0].AllowedOrigins);
    expect(origins).toContain('DomainName');
    expect(origins).not.toContain('"*"');
  });
});
