import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { DeadLetteredQueue } from './queues.ts';

export interface BufferedTriggerProps {
  /** The function the queue drives. */
  fn: lambda.Function;
  /** The function's timeout: the queue's visibility timeout is six times it, as AWS advises. */
  functionTimeout: Duration;
  /** Receives before a message goes to the dead-letter queue (≥ 5). */
  maxReceiveCount?: number;
  batchSize?: number;
  /** The operators' topic, where both alarms go. */
  operators: sns.ITopic;
}

/**
 * A replayable trigger: a dead-lettered queue (queues.ts) in front of a function, partial batch
 * responses, and alarms on the dead-letter queue's depth and the function's errors.
 */
export class BufferedTrigger extends DeadLetteredQueue {
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: BufferedTriggerProps) {
    super(scope, id, {
      visibilityTimeout: Duration.seconds(props.functionTimeout.toSeconds() * 6),
      operators: props.operators,
      ...(props.maxReceiveCount === undefined ? {} : { maxReceiveCount: props.maxReceiveCount }),
    });
    props.fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: props.batchSize ?? 5,
        reportBatchItemFailures: true,
      }),
    );
    const errors = new cloudwatch.Alarm(this, 'ErrorsAlarm', {
      alarmDescription: 'The function failed (crash, timeout or out of memory).',
      metric: props.fn.metricErrors({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    errors.addAlarmAction(new SnsAction(props.operators));
    this.alarms = [this.deadLetterAlarm, errors];
  }
}
