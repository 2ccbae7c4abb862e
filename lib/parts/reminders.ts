import { Duration, Stack, TimeZone, Token, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type { Construct } from 'constructs';
import type { FunctionEnvironment, RemindConfig } from '../../functions/config.ts';
import { ENV } from '../../functions/env-names.ts';
import { INDEX_BY_AGENCY_YEAR, REMINDER_PK_PREFIX } from '../../functions/pipeline/table-layout.ts';
import { PipelineFunction } from '../constructs/function-defaults.ts';
import { FailureQueue } from '../constructs/queues.ts';
import type { RegistryTopics } from '../constructs/registry-topics.ts';
import { defaultResource } from '../default-resource.ts';
import { isChinaRegion } from '../region.ts';

export const REMIND_TIMEOUT = Duration.minutes(5);

/**
 * EventBridge Scheduler (time zones, the scheduled time as input) where CloudFormation has it; an
 * EventBridge rule in the China regions, whose CloudFormation lacks AWS::Scheduler::Schedule
 * (lib/china-availability.json). `-c reminderSchedule=scheduler|rule` overrides.
 */
export type ReminderSchedule = 'scheduler' | 'rule';
export function defaultReminderSchedule(scope: Construct): ReminderSchedule {
  const region = Stack.of(scope).region;
  return !Token.isUnresolved(region) && isChinaRegion(region) ? 'rule' : 'scheduler';
}

/**
 * Reminders of the reporting season: every day at 09:00 China time from January to June; the function
 * decides who is due (functions/pipeline/reminder-calendar.ts). A retry of one firing carries the same
 * scheduled time, so the same day, and the reminder log makes it send nothing twice.
 */
export function reminders(
  scope: Construct,
  deps: { table: dynamodb.Table; topics: RegistryTopics; schedule: ReminderSchedule },
): PipelineFunction {
  const { table, topics } = deps;
  const environment: FunctionEnvironment<typeof RemindConfig> = {
    [ENV.tableName]: table.tableName,
    [ENV.agencyTopicArnPrefix]: topics.prefixArn('agency'),
    [ENV.officeTopicArnPrefix]: topics.prefixArn('office'),
  };
  const remind = new PipelineFunction(scope, 'Remind', {
    entry: 'functions/handlers/remind-lambda.ts',
    memorySize: 512,
    timeout: REMIND_TIMEOUT,
    environment,
  });
  // Reads whether an agency has reported by key on the byAgencyYear index; writes only reminder-log items.
  remind.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['dynamodb:Query'],
      resources: [`${table.tableArn}/index/${INDEX_BY_AGENCY_YEAR}`],
    }),
  );
  remind.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
      resources: [table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${REMINDER_PK_PREFIX}*`] } },
    }),
  );
  topics.grantPublish(remind, ['agency', 'office']);
  const remindFailures = new FailureQueue(scope, 'RemindFailures', {
    whose: "dead-letter queue of the reminders' schedule",
    alarmDescription: "A day's reminders could not be delivered to the function: see the dead-letter queue.",
    operators: topics.operators,
  });
  if (deps.schedule === 'rule') {
    // China time is UTC+8 all year (no daylight saving): 09:00 there is 01:00 UTC, on the same days.
    new events.Rule(scope, 'Reminders', {
      description: '年报提醒：申报季每天 09:00（北京时间）提醒未提交的单位，逾期后通知单位并汇总给督查办公室',
      schedule: events.Schedule.cron({ minute: '0', hour: '1', month: '1-6' }),
      targets: [
        new eventsTargets.LambdaFunction(remind, {
          event: events.RuleTargetInput.fromObject({ scheduledTime: events.EventField.time }),
          retryAttempts: 3,
          maxEventAge: Duration.hours(6),
          deadLetterQueue: remindFailures.queue,
        }),
      ],
    });
    return remind;
  }
  const schedulerRole = new iam.Role(scope, 'RemindersSchedulerRole', {
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
    description: 'EventBridge Scheduler invokes the reminders function with this role.',
  });
  Validations.of(schedulerRole).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${Stack.of(scope).getLogicalId(defaultResource(remind))}.Arn>:*]`,
    reason: 'LambdaInvoke grants invoking the reminders function and its versions; nothing else.',
  });
  new scheduler.Schedule(scope, 'Reminders', {
    description: '年报提醒：申报季每天 09:00（北京时间）提醒未提交的单位，逾期后通知单位并汇总给督查办公室',
    schedule: scheduler.ScheduleExpression.cron({
      minute: '0',
      hour: '9',
      month: '1-6',
      timeZone: TimeZone.ASIA_SHANGHAI,
    }),
    target: new schedulerTargets.LambdaInvoke(remind, {
      input: scheduler.ScheduleTargetInput.fromObject({
        scheduledTime: scheduler.ContextAttribute.scheduledTime,
      }),
      retryAttempts: 3,
      maxEventAge: Duration.hours(6),
      deadLetterQueue: remindFailures.queue,
      role: schedulerRole,
    }),
  });
  return remind;
}
