import path from 'node:path';
import { CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { Registry } from '../../functions/pipeline/registry.ts';
import {
  agencyTopicPrefix,
  officeTopicPrefix,
  type RemovedTopics,
  topicsDigest,
} from '../../functions/pipeline/topic-sync.ts';
import { commonBundling, REPO_ROOT } from '../bundling.ts';

export interface RegistryTopicsProps {
  registry: Registry;
  operatorsTopicName: string;
  /** What the sync does with the topic of an agency or office removed from the registry (default retain). */
  removedTopics?: RemovedTopics;
}

export type TopicKind = 'agency' | 'office' | 'operators';

export const TOPIC_SYNC_TIMEOUT = Duration.minutes(15);

/**
 * The notification topics. The operators' topic is a stack resource; the registry's topics (one per
 * agency, one per supervising office) are not: a custom resource backed by the sync function creates and
 * updates them from the registry at deploy time (functions/pipeline/topic-sync.ts), so the stack's size
 * does not grow with the registry. Every topic is encrypted with the key here and HTTPS-only; the
 * function's permissions, and every publisher's, are one statement on the topic-name prefixes.
 */
export class RegistryTopics extends Construct {
  readonly key: kms.Key;
  readonly operators: sns.Topic;
  readonly syncFunction: NodejsFunction;
  readonly agencyTopicPrefix: string;
  readonly officeTopicPrefix: string;
  /** `arn:{partition}:sns:{region}:{account}:`. */
  readonly arnPrefix: string;

  constructor(scope: Construct, id: string, props: RegistryTopicsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.agencyTopicPrefix = agencyTopicPrefix(stack.stackName);
    this.officeTopicPrefix = officeTopicPrefix(stack.stackName);
    this.arnPrefix = `arn:${stack.partition}:sns:${stack.region}:${stack.account}:`;
    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the report pipeline notification topics',
      enableKeyRotation: true,
    });
    this.operators = new sns.Topic(this, 'Operators', {
      topicName: props.operatorsTopicName,
      displayName: '年报流水线运维',
      masterKey: this.key,
      enforceSSL: true,
    });
    for (const email of props.registry.operators) {
      this.operators.addSubscription(new subscriptions.EmailSubscription(email));
    }

    const logGroup = new logs.LogGroup(this, 'SyncLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.syncFunction = new NodejsFunction(this, 'Sync', {
      entry: path.join(REPO_ROOT, 'functions/handlers/topic-sync-lambda.ts'),
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: TOPIC_SYNC_TIMEOUT,
      logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'report-pipeline-topicsync',
        STACK_NAME: stack.stackName,
        TOPIC_ARN_PREFIX: this.arnPrefix,
        TOPIC_KEY_ARN: this.key.keyArn,
        REMOVED_TOPICS: props.removedTopics ?? 'retain',
      },
      bundling: commonBundling,
    });
    this.syncFunction.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ManageRegistryTopics',
        actions: [
          'sns:CreateTopic',
          'sns:GetTopicAttributes',
          'sns:SetTopicAttributes',
          'sns:ListTagsForResource',
          'sns:TagResource',
          'sns:Subscribe',
          'sns:Unsubscribe',
          'sns:DeleteTopic',
        ],
        // Subscription ARNs are the topic's ARN and an id, so the prefixes cover Unsubscribe too.
        resources: this.prefixArns(['agency', 'office']),
      }),
    );
    this.syncFunction.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ListTopicsAndSubscriptions',
        actions: ['sns:ListTopics', 'sns:ListSubscriptions'],
        resources: ['*'],
      }),
    );
    new CustomResource(this, 'Synced', {
      serviceToken: this.syncFunction.functionArn,
      resourceType: 'Custom::RegistryTopics',
      // Any change of what the topics should be (the registry's part, the key, the removal rule) is an
      // Update, and CloudFormation runs the sync again; an unchanged registry deploys without one.
      properties: {
        Digest: topicsDigest(props.registry),
        KeyArn: this.key.keyArn,
        RemovedTopics: props.removedTopics ?? 'retain',
      },
    });
  }

  /** `arn:…:{prefix}*` for each kind of registry topic. */
  prefixArns(kinds: readonly ('agency' | 'office')[]): string[] {
    return kinds.map(
      (k) => `${this.arnPrefix}${k === 'agency' ? this.agencyTopicPrefix : this.officeTopicPrefix}*`,
    );
  }

  /**
   * Lets the grantee publish on the topics of the given kinds: one statement whatever the registry's size,
   * and the use of the topics' key that publishing to an encrypted topic needs.
   */
  grantPublish(grantee: iam.IGrantable, kinds: readonly TopicKind[]): void {
    const registry = kinds.filter((k): k is 'agency' | 'office' => k !== 'operators');
    const resources = [
      ...this.prefixArns(registry),
      ...(kinds.includes('operators') ? [this.operators.topicArn] : []),
    ];
    iam.Grant.addToPrincipal({ grantee, actions: ['sns:Publish'], resourceArns: resources });
    this.key.grant(grantee, 'kms:Decrypt', 'kms:GenerateDataKey*');
  }
}
