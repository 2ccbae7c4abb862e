import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * The queues of the pipeline with their secure defaults in one place: SQS-managed encryption (S3 cannot
 * send events to a queue encrypted with the AWS-managed KMS key, and SSE-SQS costs nothing), a policy
 * that refuses anything but TLS, and an alarm to the operators' topic as soon as one message waits where
 * failures end.
 */
export const QUEUE_DEFAULTS = {
  encryption: sqs.QueueEncryption.SQS_MANAGED,
  enforceSSL: true,
} as const satisfies sqs.QueueProps;

/** Receives before a message is dead-lettered: the AWS advice for Lambda consumers is at least 5. */
export const MIN_RECEIVE_COUNT = 5;

/** An alarm at the first message visible in `queue`, sent to the operators. */
export function depthAlarm(
  scope: Construct,
  id: string,
  queue: sqs.IQueue,
  description: string,
  operators: sns.ITopic,
): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmDescription: description,
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new SnsAction(operators));
  return alarm;
}

export interface DeadLetteredQueueProps {
  /** How long a received message stays invisible: six times the consumer's timeout for Lambda. */
  visibilityTimeout: Duration;
  /** Receives before a message goes to the dead-letter queue (at least 5). */
  maxReceiveCount?: number;
  /** How long a message may wait in the queue (default 4 days; the dead-letter queue keeps 14). */
  retentionPeriod?: Duration;
  /** The operators' topic, where the dead-letter alarm goes. */
  operators: sns.ITopic;
  /** What the dead-letter alarm tells the operator. */
  alarmDescription?: string;
}

/**
 * A queue with its dead-letter queue and the alarm on the dead-letter queue's depth (children
 * `Queue`, `DeadLetterQueue`, `DeadLetterAlarm`).
 */
export class DeadLetteredQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly deadLetterAlarm: cloudwatch.Alarm;
  readonly maxReceiveCount: number;

  constructor(scope: Construct, id: string, props: DeadLetteredQueueProps) {
    super(scope, id);
    this.maxReceiveCount = props.maxReceiveCount ?? MIN_RECEIVE_COUNT;
    if (this.maxReceiveCount < MIN_RECEIVE_COUNT) {
      throw new Error(`maxReceiveCount must be at least ${MIN_RECEIVE_COUNT}`);
    }
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      ...QUEUE_DEFAULTS,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue of the queue beside it.',
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      ...QUEUE_DEFAULTS,
      visibilityTimeout: props.visibilityTimeout,
      retentionPeriod: props.retentionPeriod ?? Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: this.maxReceiveCount },
    });
    this.deadLetterAlarm = depthAlarm(
      this,
      'DeadLetterAlarm',
      this.deadLetterQueue,
      props.alarmDescription ??
        `Messages that failed ${this.maxReceiveCount} times wait in the dead-letter queue: inspect and redrive them.`,
      props.operators,
    );
  }
}

export interface FailureQueueProps {
  /** Whose failures end here, for the cdk-nag acknowledgement (e.g. "on-failure destination of …"). */
  whose: string;
  /** What the alarm tells the operator. */
  alarmDescription: string;
  operators: sns.ITopic;
}

/**
 * A queue that is itself where failures end (an on-failure destination or a dead-letter queue), so it
 * has no dead-letter queue of its own; an alarm at its first message. The queue is the construct's
 * `Default` child, so its logical id is the one a bare queue of this id has.
 */
export class FailureQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: FailureQueueProps) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Default', { ...QUEUE_DEFAULTS, retentionPeriod: Duration.days(14) });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself the ${props.whose}; it needs no DLQ.`,
    });
    this.alarm = depthAlarm(this, 'Alarm', this.queue, props.alarmDescription, props.operators);
  }
}
