import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { FunctionEnvironment, WebhookConfig } from '../../functions/config.ts';
import { ENV } from '../../functions/env-names.ts';
import { BufferedTrigger } from '../constructs/buffered-trigger.ts';
import { PipelineFunction } from '../constructs/function-defaults.ts';
import type { RegistryTopics } from '../constructs/registry-topics.ts';
import { acknowledgeRole, nagText } from '../nag-acknowledgements.ts';

export const WEBHOOK_TIMEOUT = Duration.seconds(30);

/** Where the webhook secrets live in Secrets Manager: `{stack}/webhooks/{registry's secret name}`. */
export const webhookSecretPrefix = (stackName: string) => `${stackName}/webhooks/`;

/**
 * Notices where supervisors read them: a queue subscribed (by the topic sync) to the topics of the
 * agencies and offices whose registry entry names a group robot, and a function that posts each notice
 * to that robot (functions/webhooks). Retried and dead-lettered like the other consumers, its alarms to
 * the operators; the robots' URLs and signing secrets stay in Secrets Manager, read by name.
 */
export function webhooks(scope: Construct, deps: { topics: RegistryTopics }): PipelineFunction {
  const { topics } = deps;
  const stack = Stack.of(scope);
  const prefix = webhookSecretPrefix(stack.stackName);
  const environment: FunctionEnvironment<typeof WebhookConfig> = {
    [ENV.agencyTopicArnPrefix]: topics.prefixArn('agency'),
    [ENV.officeTopicArnPrefix]: topics.prefixArn('office'),
    [ENV.webhookSecretPrefix]: prefix,
    // A robot that has not answered in 5 s is retried later rather than holding the batch.
    [ENV.webhookTimeoutMs]: '5000',
  };
  const fn = new PipelineFunction(scope, 'Webhook', {
    entry: 'functions/handlers/webhook-lambda.ts',
    memorySize: 256,
    timeout: WEBHOOK_TIMEOUT,
    environment,
  });
  const secrets = stack.formatArn({
    service: 'secretsmanager',
    resource: 'secret',
    resourceName: `${prefix}*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  fn.addToRolePolicy(
    new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secrets] }),
  );
  const trigger = new BufferedTrigger(scope, 'WebhookTrigger', {
    fn,
    functionTimeout: WEBHOOK_TIMEOUT,
    batchSize: 5,
    operators: topics.operators,
  });
  // The registry's topics (not stack resources) may send to it; nothing else may.
  trigger.queue.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'RegistryTopicsSend',
      principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [trigger.queue.queueArn],
      conditions: { ArnLike: { 'aws:SourceArn': topics.prefixArns(['agency', 'office']) } },
    }),
  );
  topics.subscribeWebhookQueue(trigger.queue.queueArn);
  acknowledgeRole(fn, {
    [`AwsSolutions-IAM5[Resource::${nagArn(stack, prefix)}]`]:
      "Reads the webhook secrets, and only those: every one is named under the stack's webhooks/ prefix.",
  });
  return fn;
}

/** The secrets' ARN as cdk-nag writes it in a finding's id. */
function nagArn(stack: Stack, prefix: string): string {
  const part = (v: string) => nagText(stack, v);
  return `arn:${part(stack.partition)}:secretsmanager:${part(stack.region)}:${part(stack.account)}:secret:${prefix}*`;
}
