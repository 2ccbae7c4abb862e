import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { functionPlatform, PipelineFunction } from '../../lib/constructs/function-defaults.ts';
import { DeadLetteredQueue, FailureQueue } from '../../lib/constructs/queues.ts';

/** The shared constructs on their own, each in a stack of a few resources (no pipeline synth). */
const stackWith = (context: Record<string, unknown> = {}, region?: string) => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new Stack(app, 'S', region === undefined ? {} : { env: { region } });
  return { stack, operators: new sns.Topic(stack, 'Ops') };
};
const opsRef = (t: Template) => ({ Ref: Object.keys(t.findResources('AWS::SNS::Topic'))[0] });

describe('DeadLetteredQueue', () => {
  it('is an SSE, SSL-only queue dead-lettering after maxReceiveCount, with a depth alarm to the operators', () => {
    const { stack, operators } = stackWith();
    new DeadLetteredQueue(stack, 'Q', {
      visibilityTimeout: Duration.seconds(60),
      maxReceiveCount: 7,
      operators,
    });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::SQS::Queue', 2);
    t.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    t.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 60,
      RedrivePolicy: { maxReceiveCount: 7, deadLetterTargetArn: Match.anyValue() },
    });
    t.resourcePropertiesCountIs(
      'AWS::SQS::QueuePolicy',
      {
        PolicyDocument: {
          Statement: [
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ],
        },
      },
      2,
    );
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      AlarmActions: [opsRef(t)],
      AlarmDescription: Match.stringLikeRegexp('failed 7 times'),
    });
  });

  it('refuses fewer than 5 receives', () => {
    const { stack, operators } = stackWith();
    expect(
      () =>
        new DeadLetteredQueue(stack, 'Q', {
          visibilityTimeout: Duration.seconds(60),
          maxReceiveCount: 2,
          operators,
        }),
    ).toThrow(/at least 5/);
  });
});

describe('FailureQueue', () => {
  it('keeps the logical id a bare queue of its id has, and alarms the operators at its first message', () => {
    const { stack, operators } = stackWith();
    new FailureQueue(stack, 'Failures', { whose: 'test destination', alarmDescription: 'look', operators });
    const t = Template.fromStack(stack);
    const bare = new Stack(new App(), 'S');
    new sqs.Queue(bare, 'Failures');
    const reference = Template.fromStack(bare);
    expect(Object.keys(t.findResources('AWS::SQS::Queue'))).toEqual(
      Object.keys(reference.findResources('AWS::SQS::Queue')),
    );
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [opsRef(t)],
      AlarmDescription: 'look',
    });
  });
});

describe('function defaults', () => {
  it('a global region: Node 24 on arm64, active tracing, a retained log group kept a year, the service name', () => {
    const { stack } = stackWith({}, 'us-east-1');
    new PipelineFunction(stack, 'Thing', {
      entry: 'functions/handlers/export-lambda.ts',
      memorySize: 256,
      timeout: Duration.seconds(5),
      environment: { STAGE: 'b' },
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      MemorySize: 256,
      Timeout: 5,
      Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'report-pipeline-thing', STAGE: 'b' } },
      LoggingConfig: { LogGroup: Match.anyValue() },
    });
    t.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', Properties: { RetentionInDays: 365 } });
    expect(Object.keys(t.findResources('AWS::Logs::LogGroup'))[0]).toMatch(/^ThingLogs/);
  });

  it('a China region: no X-Ray (Lambda has no X-Ray integration there); tracing=true there is refused', () => {
    expect(functionPlatform(stackWith({}, 'cn-north-1').stack).tracing.toString()).toBe('Disabled');
    expect(() => functionPlatform(stackWith({ tracing: 'true' }, 'cn-northwest-1').stack)).toThrow(
      /X-Ray integration is not available in cn-northwest-1/,
    );
  });

  it('context switches the architecture and the runtime, and names the option on a wrong value', () => {
    const platform = functionPlatform(
      stackWith({ lambdaArchitecture: 'x86_64', lambdaRuntime: 'nodejs22.x' }, 'cn-north-1').stack,
    );
    expect([platform.architecture.name, platform.runtime.name]).toEqual(['x86_64', 'nodejs22.x']);
    expect(() => functionPlatform(stackWith({ lambdaArchitecture: 'arm' }).stack)).toThrow(
      /-c lambdaArchitecture=arm: expected one of arm64, x86_64/,
    );
  });
});
