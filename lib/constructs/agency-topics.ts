import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { Registry } from '../../functions/pipeline/registry.ts';

export interface AgencyTopicsProps {
  registry: Registry;
  /** Topic names are `{prefix}{agencyId}`; the parse function derives ARNs from it. */
  topicNamePrefix: string;
  operatorsTopicName: string;
}

/**
 * One encrypted, HTTPS-only SNS topic per agency in the registry, with its supervisors subscribed by
 * e-mail, and an operators' topic for reports from unregistered agencies and for our own faults. Topic
 * construct ids derive from agency ids, so adding an agency never replaces another's topic.
 */
export class AgencyTopics extends Construct {
  readonly key: kms.Key;
  readonly topics: Map<string, sns.Topic>;
  readonly operators: sns.Topic;

  constructor(scope: Construct, id: string, props: AgencyTopicsProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the report pipeline notification topics',
      enableKeyRotation: true,
    });
    this.topics = new Map();
    for (const agency of props.registry.agencies) {
      const topic = new sns.Topic(this, `Agency-${agency.id}`, {
        topicName: `${props.topicNamePrefix}${agency.id}`,
        displayName: `${agency.name} 年报校验`,
        masterKey: this.key,
        enforceSSL: true,
      });
      for (const email of agency.supervisors)
        topic.addSubscription(new subscriptions.EmailSubscription(email));
      this.topics.set(agency.id, topic);
    }
    this.operators = new sns.Topic(this, 'Operators', {
      topicName: props.operatorsTopicName,
      displayName: '年报流水线运维',
      masterKey: this.key,
      enforceSSL: true,
    });
    for (const email of props.registry.operators) {
      this.operators.addSubscription(new subscriptions.EmailSubscription(email));
    }
  }

  grantPublish(grantee: iam.IGrantable): void {
    for (const topic of [...this.topics.values(), this.operators]) topic.grantPublish(grantee);
  }
}
