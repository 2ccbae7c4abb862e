import path from 'node:path';
import { type Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ENV } from '../../functions/env-names.ts';
import { bundlingFor, REPO_ROOT } from '../bundling.ts';
import { isChinaRegion } from '../region.ts';

/**
 * The pipeline's function defaults in one place, as AWS Solutions Constructs keep theirs: every function
 * of the stack is a PipelineFunction, so runtime, architecture, tracing, log retention, bundling and the
 * Powertools service name are set here and nowhere else; a function states only what is its own (entry,
 * memory, timeout, environment). The platform follows the stack's region and the context
 * (`-c lambdaArchitecture=x86_64|arm64`, `-c lambdaRuntime=nodejs22.x|nodejs24.x`, `-c tracing=true|false`).
 */
export interface FunctionPlatform {
  runtime: lambda.Runtime;
  architecture: lambda.Architecture;
  /** X-Ray active tracing where Lambda's X-Ray integration exists (not in the China regions). */
  tracing: lambda.Tracing;
}

/** The runtimes the bundles are built for (esbuild's target follows the runtime). */
export const RUNTIMES = {
  'nodejs24.x': lambda.Runtime.NODEJS_24_X,
  'nodejs22.x': lambda.Runtime.NODEJS_22_X,
};
export const ARCHITECTURES = { arm64: lambda.Architecture.ARM_64, x86_64: lambda.Architecture.X86_64 };

function choice<T>(scope: Construct, key: string, options: Record<string, T>, fallback: string): T {
  const value: unknown = scope.node.tryGetContext(key) ?? fallback;
  const picked = typeof value === 'string' ? options[value] : undefined;
  if (picked === undefined) {
    throw new Error(`-c ${key}=${String(value)}: expected one of ${Object.keys(options).join(', ')}`);
  }
  return picked;
}

/** The platform for functions in this scope's stack, from the context and the stack's region. */
export function functionPlatform(scope: Construct): FunctionPlatform {
  const region = Stack.of(scope).region;
  // An environment-agnostic stack cannot know; its template carries a rule against China (see the stack).
  const china = !Token.isUnresolved(region) && isChinaRegion(region);
  const tracing = String(scope.node.tryGetContext('tracing') ?? !china) === 'true';
  if (tracing && china) {
    throw new Error(`-c tracing=true: Lambda's X-Ray integration is not available in ${region}`);
  }
  return {
    runtime: choice(scope, 'lambdaRuntime', RUNTIMES, 'nodejs24.x'),
    architecture: choice(scope, 'lambdaArchitecture', ARCHITECTURES, 'arm64'),
    tracing: tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
  };
}

export interface PipelineFunctionProps {
  /** The handler module, relative to the repository root. */
  entry: string;
  memorySize: number;
  timeout: Duration;
  environment?: Record<string, string>;
  /** The extract function ships pdf.js's CMaps, fonts and wasm and the sandbox worker beside its handler. */
  withPdfAssets?: boolean;
  /** The pages' publication ships local/web beside its handler. */
  withPages?: boolean;
  /** Powertools' service name; by default `report-pipeline-{id in lower case}`. */
  serviceName?: string;
}

/** Logs are kept a year and the log group outlives the stack: they are the audit trail of who sent what. */
export const LOG_RETENTION = logs.RetentionDays.ONE_YEAR;

/**
 * The props every pipeline function gets, with the function's own merged in. The log group is the
 * function's own (`{id}Logs` beside it), not Lambda's implicit one, so retention and removal are ours.
 */
export function defaultFunctionProps(
  scope: Construct,
  platform: FunctionPlatform,
  id: string,
  props: PipelineFunctionProps,
  logGroup: logs.ILogGroup,
): NodejsFunctionProps {
  const target = platform.runtime.name.replace(/^nodejs(\d+)\.x$/, 'node$1');
  const registry: unknown = scope.node.tryGetContext('registryFile');
  const bundling = bundlingFor(target, {
    pdfAssets: props.withPdfAssets ?? false,
    pages: props.withPages ?? false,
    // The deployment's registry (`-c registryFile`), resolved as lib/context.ts resolves it.
    ...(typeof registry === 'string' && registry !== '' ? { registryFile: path.resolve(registry) } : {}),
  });
  return {
    entry: path.join(REPO_ROOT, props.entry),
    projectRoot: REPO_ROOT,
    depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
    runtime: platform.runtime,
    architecture: platform.architecture,
    tracing: platform.tracing,
    memorySize: props.memorySize,
    timeout: props.timeout,
    logGroup,
    environment: {
      [ENV.serviceName]: props.serviceName ?? `report-pipeline-${id.toLowerCase()}`,
      ...props.environment,
    },
    bundling,
  };
}

/**
 * A function of the pipeline: NodejsFunction with the defaults above. It keeps the construct id it is
 * given (so the logical ids of a function and of its `{id}Logs` group are what they were before the
 * defaults had a home), and its log group is retained with the stack's data.
 */
export class PipelineFunction extends NodejsFunction {
  readonly logs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    super(scope, id, defaultFunctionProps(scope, functionPlatform(scope), id, props, logGroup));
    this.logs = logGroup;
  }
}
