import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { reportsTableDefinition } from '../../functions/adapters/table-definition.ts';
import type { Registry } from '../../functions/pipeline/registry.ts';
import { ReportPipelineStack } from '../../lib/report-pipeline-stack.ts';

/**
 * The stack's promises, property by property, on the synthesized template. Bundling is skipped here
 * (`aws:cdk:bundling-stacks`); test/cdk/bundle.test.ts bundles the extract function for real.
 */
const registry: Registry = {
  operators: ['ops@example.gov.cn'],
  offices: [{ id: 'test-office', name: '测试政务公开办', supervisors: [], supervisedBy: [] }],
  agencies: [
    {
      id: 'huaian-gov',
      name: '淮安市人民政府',
      kind: 'government',
      supervisors: ['a@example.gov.cn'],
      supervisedBy: ['test-office'],
    },
    {
      id: 'qinghe-edu',
      name: '清河区教育局',
      kind: 'department',
      supervisors: ['b@example.gov.cn', 'c@example.gov.cn'],
      supervisedBy: ['test-office'],
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
    expect(withDlq).toHaveLength(2);
    const timeouts = withDlq.map((q) => q.Properties.VisibilityTimeout).sort((a, b) => a - b);
    expect(timeouts).toEqual([30 * 6, 120 * 6]);
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
      4,
    );
  });

  it('alarms watch each dead-letter queue and each function', () => {
    template.resourcePropertiesCountIs(
      'AWS::CloudWatch::Alarm',
      { MetricName: 'ApproximateNumberOfMessagesVisible' },
      3,
    );
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'Errors' }, 2);
  });
});

describe('functions', () => {
  it('are Node 24 on arm64 with explicit memory and timeout, and log to retained groups', () => {
    const fns = Object.values(template.findResources('AWS::Lambda::Function')).filter(
      (f) => f.Properties.Runtime === 'nodejs24.x',
    );
    expect(fns).toHaveLength(5);
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
      Timeout: 120,
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'report-pipeline-extract' }) },
    });
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
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).filter(
      (m) => m.Properties.FilterCriteria !== undefined,
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
  it('one KMS-encrypted topic per registered agency plus operators, named for the ARN prefix', () => {
    template.resourceCountIs('AWS::SNS::Topic', 3);
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'Test-agency-huaian-gov',
      KmsMasterKeyId: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'Test-agency-qinghe-edu' });
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'Test-operators' });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('subscribes each supervisor by e-mail and allows only HTTPS', () => {
    template.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'email' }, 4);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'c@example.gov.cn',
    });
    template.resourcePropertiesCountIs(
      'AWS::SNS::TopicPolicy',
      {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      },
      3,
    );
  });

  it('topic construct ids follow agency ids, so adding an agency keeps the others', () => {
    const ids = Object.keys(template.findResources('AWS::SNS::Topic'));
    expect(ids.some((id) => id.startsWith('TopicsAgencyhuaiangov'))).toBe(true);
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const more = new ReportPipelineStack(app, 'Test', {
      registry: {
        ...registry,
        agencies: [
          {
            id: 'aaa-first',
            name: '新机关',
            kind: 'department',
            supervisors: [],
            supervisedBy: ['test-office'],
          },
          ...registry.agencies,
        ],
      },
    });
    const after = Object.keys(Template.fromStack(more).findResources('AWS::SNS::Topic'));
    for (const id of ids) expect(after).toContain(id);
  });
});

describe('upload API', () => {
  it('every route needs a Cognito user-pool token', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 5);
    template.allResourcesProperties('AWS::ApiGatewayV2::Route', { AuthorizationType: 'JWT' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /uploads' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /uploads' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /uploads/{id}' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /supervision/{year}' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /supervision/{year}/{agencyId}',
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
    });
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

  it('the API function may sign uploads under incoming/ and read records, nothing more', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const api = JSON.stringify(
      Object.entries(policies).find(([id]) => id.startsWith('ApiServiceRoleDefaultPolicy'))?.[1],
    );
    expect(api).toContain('/incoming/*');
    expect(api).toContain('dynamodb:GetItem');
    expect(api).not.toContain('dynamodb:PutItem');
    expect(api).not.toContain('/extracted/*');
    expect(api).not.toContain('sns:');
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged finding, and every acknowledgement has a specific reason', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const checked = new ReportPipelineStack(app, 'Nag', { registry });
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
