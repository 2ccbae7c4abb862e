import { type Stack, Validations } from 'aws-cdk-lib';
import { Tracing } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { fieldOf } from '../functions/report/table-cells.ts';
import { functionPlatform } from './constructs/function-defaults.ts';

/**
 * The cdk-nag AwsSolutions findings this stack accepts, each on the construct it concerns and with the
 * reason. cdk-nag v3 needs every finding acknowledged by its full id (e.g. IAM5[Action::s3:List*]).
 */
const BASIC_EXECUTION =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';
const BASIC_EXECUTION_REASON =
  'AWSLambdaBasicExecutionRole only lets the function write its own CloudWatch logs; an inline copy would say the same.';

const ANY_RESOURCE = 'AwsSolutions-IAM5[Resource::*]';
const XRAY_REASON =
  'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions.';

/** Acknowledges the findings on a function's role, with its basic-execution and tracing findings. */
export function acknowledgeRole(fn: NodejsFunction, findings: Record<string, string>): void {
  acknowledge(fn, findings);
}

function acknowledge(fn: NodejsFunction, findings: Record<string, string>): void {
  const role = fn.role;
  if (role === undefined) return;
  const all: Record<string, string> = { [BASIC_EXECUTION]: BASIC_EXECUTION_REASON, ...findings };
  // One finding id per role: where the role has another reason for `*` already, both are said.
  if (functionPlatform(fn).tracing === Tracing.ACTIVE) {
    all[ANY_RESOURCE] = [findings[ANY_RESOURCE], XRAY_REASON].filter((r) => r !== undefined).join(' ');
  }
  for (const [id, reason] of Object.entries(all)) Validations.of(role).acknowledge({ id, reason });
}

const S3_READ_ACTIONS = {
  'AwsSolutions-IAM5[Action::s3:GetObject*]':
    'Bucket.grantRead: GetObject, GetObjectVersion and their tagging/ACL reads, needed to read a given object version.',
  'AwsSolutions-IAM5[Action::s3:GetBucket*]':
    'Bucket.grantRead: GetBucketLocation and friends, used by the SDK.',
  'AwsSolutions-IAM5[Action::s3:List*]':
    'Bucket.grantRead: ListBucket lets a missing key answer NoSuchKey (handled) instead of AccessDenied.',
};
export const S3_PUT_ABORT = {
  'AwsSolutions-IAM5[Action::s3:Abort*]':
    'Bucket.grantPut: AbortMultipartUpload, so the SDK can clean up a failed multipart write.',
};

/**
 * A stack value as cdk-nag writes it in a finding's id: a literal as itself (a stack deployed with an
 * explicit region has a literal region and partition), a pseudo parameter as `<AWS::Region>`.
 */
export function nagText(stack: Stack, value: string): string {
  const resolved: unknown = stack.resolve(value);
  if (typeof resolved === 'string') return resolved;
  const ref = fieldOf(resolved, 'Ref');
  if (typeof ref === 'string') return `<${ref}>`;
  throw new Error(`cannot name ${JSON.stringify(resolved)} as cdk-nag does`);
}

/** The one statement that covers every topic of a kind, whatever the registry's size. */
const topicPrefixes = (stack: Stack, kinds: readonly ('agency' | 'office')[], why: string) =>
  Object.fromEntries(
    kinds.map((kind) => [
      `AwsSolutions-IAM5[Resource::arn:${nagText(stack, stack.partition)}:sns:${nagText(stack, stack.region)}:${nagText(stack, stack.account)}:${stack.stackName}-${kind}-*]`,
      `The ${kind} topics are synced from the registry, not stack resources: one statement on their name prefix ${why}.`,
    ]),
  );
const TOPIC_KEY = {
  'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]':
    'Publishing to KMS-encrypted topics: SNS needs a data key from the topic key to publish.',
};

export function acknowledgeFindings(
  stack: Stack,
  fns: {
    extract: NodejsFunction;
    parse: NodejsFunction;
    exporter: NodejsFunction;
    reevaluate: NodejsFunction;
    api: NodejsFunction;
    remind: NodejsFunction;
    topicSync: NodejsFunction;
  },
  bucketArnToken: string,
  tableArnToken: string,
): void {
  acknowledge(fns.extract, {
    ...S3_READ_ACTIONS,
    ...S3_PUT_ABORT,
    [`AwsSolutions-IAM5[Resource::<${bucketArnToken}.Arn>/incoming/*]`]:
      'Reads any upload, and only uploads: every agency writes under incoming/{agencyId}/.',
    [`AwsSolutions-IAM5[Resource::<${bucketArnToken}.Arn>/extracted/*]`]:
      'Writes its claim-check documents, and only those, under extracted/.',
  });
  acknowledge(fns.parse, {
    ...S3_READ_ACTIONS,
    [`AwsSolutions-IAM5[Resource::<${bucketArnToken}.Arn>/extracted/*]`]:
      'Reads the claim-check documents under extracted/ and nothing else of the bucket.',
    [`AwsSolutions-IAM5[Resource::<${tableArnToken}.Arn>/index/*]`]:
      "Table.grantReadWriteData: queries the byAgencyYear index for the previous year's report.",
    ...TOPIC_KEY,
    ...topicPrefixes(stack, ['agency'], "lets it publish a record's notice on its agency's topic"),
  });
  acknowledge(fns.exporter, {
    ...S3_PUT_ABORT,
    [`AwsSolutions-IAM5[Resource::<${bucketArnToken}.Arn>/exports/*]`]:
      'Writes the JSON-lines exports, and only those, under exports/.',
    'AwsSolutions-IAM5[Resource::*]':
      'dynamodb:ListStreams has no resource-level permissions; the event source mapping needs it.',
  });
  acknowledge(fns.reevaluate, {
    [`AwsSolutions-IAM5[Resource::<${tableArnToken}.Arn>/index/*]`]:
      "Table.grantReadWriteData: queries the byAgencyYear index for an agency's reports of two years.",
    ...TOPIC_KEY,
    ...topicPrefixes(stack, ['agency'], "lets it publish a revised record's notice on its agency's topic"),
    'AwsSolutions-IAM5[Resource::*]':
      'dynamodb:ListStreams has no resource-level permissions; the event source mapping needs it.',
  });
  acknowledge(fns.remind, {
    ...TOPIC_KEY,
    ...topicPrefixes(stack, ['agency', 'office'], 'lets it publish the reminders and digests'),
  });
  acknowledge(fns.topicSync, {
    ...topicPrefixes(stack, ['agency', 'office'], 'lets it create, configure, subscribe and delete them'),
    'AwsSolutions-IAM5[Resource::*]':
      'sns:ListTopics and sns:ListSubscriptions have no resource-level permissions; the sync lists to find the topics under its prefixes.',
  });
  acknowledge(fns.api, {
    ...S3_PUT_ABORT,
    [`AwsSolutions-IAM5[Resource::<${bucketArnToken}.Arn>/incoming/*]`]:
      'Signs pre-signed POSTs, which S3 checks against this role: uploads under incoming/ only; the key itself is pinned per upload in the POST policy.',
    [`AwsSolutions-IAM5[Resource::<${tableArnToken}.Arn>/index/*]`]:
      'Table.grantReadData: reads records by key; the index grant comes with it and is read-only.',
  });
  // The singleton Lambda that CDK uses to configure the bucket's notifications.
  const notifications = stack.node.children.find((c) => c.node.id.startsWith('BucketNotificationsHandler'));
  if (notifications !== undefined) {
    Validations.of(notifications).acknowledge({
      id: BASIC_EXECUTION,
      reason:
        'CDK-provided handler that sets the bucket notification configuration at deploy time; logs only.',
    });
  }
}
