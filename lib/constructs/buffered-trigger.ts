import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface BufferedTriggerProps {
  /** The function the queue drives. */
  fn: lambda.Function;
  /** The function's timeout: the queue's visibility timeout is six times it, as AWS advises. */
  functionTimeout: Duration;
  /** Receives before a message goes to the dead-letter queue (≥ 5). */
  maxReceiveCount?: number;
  batchSize?: number;
}

/**
 * A replayable trigger: an SQS queue with a dead-letter queue in front of a function, partial batch
 * responses, and alarms on the dead-letter queue's depth and the function's errors. Queues use SQS-managed
 * encryption because S3 cannot send events to a queue encrypted with the AWS-managed KMS key.
 */
export class BufferedTrigger extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: BufferedTriggerProps) {
    super(scope, id);
    const maxReceiveCount = props.maxReceiveCount ?? 5;
    if (maxReceiveCount < 5) throw new Error('maxReceiveCount must be at least 5');
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(props.functionTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });
    props.fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: props.batchSize ?? 5,
        reportBatchItemFailures: true,
      }),
    );
    this.alarms = [
      new cloudwatch.Alarm(this, 'DeadLetterAlarm', {
        alarmDescription:
          'Messages that failed 5 times wait in the dead-letter queue: inspect and redrive them.',
        metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(1),
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, 'ErrorsAlarm', {
        alarmDescription: 'The function failed (crash, timeout or out of memory).',
        metric: props.fn.metricErrors({ period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    ];
  }
}
