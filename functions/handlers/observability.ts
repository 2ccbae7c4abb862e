import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';

/**
 * What every handler carries for the operator, put on once: Powertools' middleware (through middy, as
 * Powertools documents it) adds the Lambda context to every log line and flushes the invocation's metrics
 * (CloudWatch embedded metric format, on stdout) when it ends, thrown or not. The metric names, their
 * units and dimensions are here, so a dashboard or an alarm has one place to read them from.
 */

/** The CloudWatch namespace of every function's metrics; each function is told apart by its `service`. */
export const METRICS_NAMESPACE = 'ReportPipeline';

/** The metrics of a function: its service name is the one its log lines carry (POWERTOOLS_SERVICE_NAME). */
export function handlerMetrics(serviceName: string): Metrics {
  return new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
}

export interface Instruments {
  logger: Logger;
  /** Absent (tests, the local run): no metrics are emitted. */
  metrics?: Metrics | undefined;
}

/** A Lambda function's logger and metrics, both under its service name (POWERTOOLS_SERVICE_NAME). */
export function lambdaInstruments(serviceName: string): Required<Instruments> {
  return { logger: new Logger({ serviceName }), metrics: handlerMetrics(serviceName) };
}

/**
 * A stand-in passed on to middy when the caller has no invocation (tests, the local run): the logger then
 * adds no Lambda context and the handler gets none, as before middy. Also what a library that insists on
 * a context (the API's router) is given then.
 */
export const NO_LAMBDA_CONTEXT: Context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: '',
  functionVersion: '',
  invokedFunctionArn: '',
  memoryLimitInMB: '',
  awsRequestId: '',
  logGroupName: '',
  logStreamName: '',
  getRemainingTimeInMillis: () => 0,
  done: () => {},
  fail: () => {},
  succeed: () => {},
};

/**
 * The handler with the middleware on: the Lambda context on every log line (`injectLambdaContext`), the
 * metrics flushed after each invocation (`logMetrics`, with the cold start counted). The context stays
 * optional for callers outside Lambda.
 */
export function instrumented<TEvent, TResult>(
  tools: Instruments,
  handler: (event: TEvent, context: Context | undefined) => Promise<TResult>,
): (event: TEvent, context?: Context) => Promise<TResult> {
  const context = injectLambdaContext(tools.logger);
  const run = middy(
    async (event: TEvent, lambda: Context) =>
      handler(event, lambda === NO_LAMBDA_CONTEXT ? undefined : lambda),
    // No early timeout: Lambda ends a late invocation itself, and the handlers that race the clock (the
    // topics' sync) keep their own margin.
    { timeoutEarlyInMillis: 0 },
  ).use({
    before: (request) => (request.context === NO_LAMBDA_CONTEXT ? undefined : context.before?.(request)),
    after: context.after,
    onError: context.onError,
  });
  if (tools.metrics !== undefined) run.use(logMetrics(tools.metrics, { captureColdStartMetric: true }));
  return (event, lambda) => run(event, lambda ?? NO_LAMBDA_CONTEXT);
}

/** The metrics the pipeline emits: name → unit. */
export const METRIC = {
  /** One per uploaded object the extract step handled, by `format` × `outcome` (extracted, failed, skipped). */
  filesExtracted: { name: 'FilesExtracted', unit: MetricUnit.Count },
  /** One per record the parse step stored, by `format` × `status`. */
  filesParsed: { name: 'FilesParsed', unit: MetricUnit.Count },
  /** Pages of an extracted or parsed document, and the time its step took, by `format`. */
  pages: { name: 'Pages', unit: MetricUnit.Count },
  extractDuration: { name: 'ExtractDuration', unit: MetricUnit.Milliseconds },
  parseDuration: { name: 'ParseDuration', unit: MetricUnit.Milliseconds },
  /** The findings of a stored record, by `code` (one value per code). */
  findings: { name: 'Findings', unit: MetricUnit.Count },
  /** SQS batches: messages received, returned for retry, dropped as no S3 event. */
  messages: { name: 'Messages', unit: MetricUnit.Count },
  messagesRetried: { name: 'MessagesRetried', unit: MetricUnit.Count },
  messagesDropped: { name: 'MessagesDropped', unit: MetricUnit.Count },
  /** The API: one per request, dimensions `route`×`status`. */
  requests: { name: 'Requests', unit: MetricUnit.Count },
  /** The stream consumers: records exported; records re-evaluated by outcome; batches returned for retry. */
  recordsExported: { name: 'RecordsExported', unit: MetricUnit.Count },
  recordsRevised: { name: 'RecordsRevised', unit: MetricUnit.Count },
  reevaluationsUnchanged: { name: 'ReevaluationsUnchanged', unit: MetricUnit.Count },
  streamRetries: { name: 'StreamBatchesRetried', unit: MetricUnit.Count },
  /** The daily reminders: messages sent by type (`type`), and those a repeated run found already sent. */
  remindersSent: { name: 'RemindersSent', unit: MetricUnit.Count },
  remindersAlreadySent: { name: 'RemindersAlreadySent', unit: MetricUnit.Count },
  /** The registry topics' sync: changes applied. */
  topicChanges: { name: 'TopicChangesApplied', unit: MetricUnit.Count },
} as const;

type MetricSpec = (typeof METRIC)[keyof typeof METRIC];
/** A metric and its value. */
export type MetricValue = readonly [MetricSpec, number];

/**
 * Metrics under dimensions of their own (one set: EMF gives one value per dimension and blob), flushed
 * with the invocation's metrics.
 */
export function addWith(
  metrics: Metrics | undefined,
  dimensions: Record<string, string>,
  values: readonly MetricValue[],
): void {
  if (metrics === undefined || values.length === 0) return;
  metrics.addDimensions(dimensions);
  for (const [spec, value] of values) metrics.addMetric(spec.name, spec.unit, value);
}

/**
 * The same, as an EMF blob of its own, published at once: a batch's files each carry their own dimension
 * values. Call it before the invocation's own metrics are added (publishing flushes what is stored).
 */
export function publishWith(
  metrics: Metrics | undefined,
  dimensions: Record<string, string>,
  values: readonly MetricValue[],
): void {
  if (metrics === undefined || values.length === 0) return;
  addWith(metrics, dimensions, values);
  metrics.publishStoredMetrics();
}

/** A metric of the invocation as a whole (no dimension but the service), flushed by the middleware. */
export function count(metrics: Metrics | undefined, spec: MetricSpec, value: number): void {
  metrics?.addMetric(spec.name, spec.unit, value);
}
