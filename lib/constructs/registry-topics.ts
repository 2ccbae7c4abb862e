import { ArnFormat, CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { FunctionEnvironment, TopicSyncConfig } from '../../functions/config.ts';
import { ENV } from '../../functions/env-names.ts';
import type { Registry } from '../../functions/pipeline/registry.ts';
import {
  agencyTopicPrefix,
  officeTopicPrefix,
  type RemovedTopics,
  topicsDigest,
} from '../../functions/pipeline/topic-sync.ts';
import { defaultResource } from '../default-resource.ts';
import { PipelineFunction } from './function-defaults.ts';

export interface RegistryTopicsProps {
  registry: Registry;
  operatorsTopicName: string;
  /** Further addresses subscribed to the operators' topic (`-c operatorsEmail=…`), beside the registry's. */
  operatorsEmails?: string[];
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
 * function's permissions, and every publisher's, are one statement on the topic-name prefixes. The
 * operators' topic exists always: every alarm of the stack goes there (CloudWatch may publish to it and
 * use its key, nothing else outside the account may).
 */
export class RegistryTopics extends Construct {
  readonly key: kms.Key;
  readonly operators: sns.Topic;
  readonly syncFunction: PipelineFunction;
  private readonly synced: CustomResource;
  readonly agencyTopicPrefix: string;
  readonly officeTopicPrefix: string;
  /** `arn:{partition}:sns:{region}:{account}:`. */
  readonly arnPrefix: string;
  /** The group robots' queue, once subscribed (a stack output, for `report-pipeline topics sync`). */
  webhookQueueArn: string | undefined;

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
    for (const email of new Set([...props.registry.operators, ...(props.operatorsEmails ?? [])])) {
      this.operators.addSubscription(new subscriptions.EmailSubscription(email));
    }
    this.allowAlarms(stack);

    const environment: FunctionEnvironment<typeof TopicSyncConfig> = {
      [ENV.stackName]: stack.stackName,
      [ENV.topicArnPrefix]: this.arnPrefix,
      [ENV.topicKeyArn]: this.key.keyArn,
      [ENV.removedTopics]: props.removedTopics ?? 'retain',
    };
    this.syncFunction = new PipelineFunction(this, 'Sync', {
      entry: 'functions/handlers/topic-sync-lambda.ts',
      memorySize: 512,
      timeout: TOPIC_SYNC_TIMEOUT,
      serviceName: 'report-pipeline-topicsync',
      environment,
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
    this.synced = new CustomResource(this, 'Synced', {
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

  /**
   * Has the sync subscribe this queue to the topics whose owner names a webhook; its ARN is a property
   * of the custom resource, so a new queue makes CloudFormation run the sync again.
   */
  subscribeWebhookQueue(queueArn: string): void {
    this.webhookQueueArn = queueArn;
    this.syncFunction.addEnvironment(ENV.webhookQueueArn, queueArn);
    defaultResource(this.synced).addPropertyOverride('WebhookQueueArn', queueArn);
  }

  /** `arn:…:{stack}-{kind}-`: a registry topic's ARN is this and the agency's or office's id. */
  prefixArn(kind: 'agency' | 'office'): string {
    return `${this.arnPrefix}${kind === 'agency' ? this.agencyTopicPrefix : this.officeTopicPrefix}`;
  }

  /** `arn:…:{prefix}*` for each kind of registry topic. */
  prefixArns(kinds: readonly ('agency' | 'office')[]): string[] {
    return kinds.map((k) => `${this.prefixArn(k)}*`);
  }

  /**
   * CloudWatch alarms of this account may publish to the operators' topic, and use the topic key to do so
   * (an encrypted topic refuses an alarm whose service cannot generate a data key).
   */
  private allowAlarms(stack: Stack): void {
    const cloudwatch = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    const alarms = stack.formatArn({
      service: 'cloudwatch',
      resource: 'alarm',
      resourceName: '*',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.operators.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AlarmsOfThisAccount',
        principals: [cloudwatch],
        actions: ['sns:Publish'],
        resources: [this.operators.topicArn],
        conditions: {
          ArnLike: { 'aws:SourceArn': alarms },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AlarmsPublishToEncryptedTopics',
        principals: [cloudwatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
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
