import { z } from 'zod';

/**
 * Lambda configuration from the environment, validated once when a handler module loads: a missing or
 * malformed variable stops the function at start-up with a message naming it, not at the first event.
 */
const Common = z.object({
  AWS_REGION: z.string().min(1).default('cn-north-1'),
  POWERTOOLS_SERVICE_NAME: z.string().default('report-pipeline'),
  /** Set to talk to an S3-compatible endpoint (the local run): path-style addressing, checksums only when required. */
  AWS_ENDPOINT_URL_S3: z.url().optional(),
});

export const ExtractConfig = Common.extend({
  /**
   * The OCR function (issue 24). Set on AWS: the extract function reads text layers only and hands a
   * file with scanned pages to it. Unset, scanned pages are read in the extract function itself.
   */
  OCR_FUNCTION_NAME: z.string().min(1).optional(),
});
/** The OCR function reads the upload itself, so it needs what the extract function needs to read S3. */
export const OcrConfig = Common;
export const ParseConfig = Common.extend({
  TABLE_NAME: z.string().min(1),
  AGENCY_TOPIC_ARN_PREFIX: z.string().startsWith('arn:'),
  OPERATORS_TOPIC_ARN: z.string().startsWith('arn:'),
  /** How long a claim to send a notice holds (ms): the stack sets the function's timeout. */
  NOTICE_LEASE_MS: z.coerce.number().int().min(0).default(60_000),
});
/** The re-evaluation stream consumer needs what the parse step needs to store and notify. */
export const ReevaluateConfig = ParseConfig;
export const ExportConfig = Common.extend({
  EXPORT_BUCKET: z.string().min(1),
});

/** The daily reminders: where records are, and the ARN prefixes of the agencies' and offices' topics. */
export const RemindConfig = Common.extend({
  TABLE_NAME: z.string().min(1),
  AGENCY_TOPIC_ARN_PREFIX: z.string().startsWith('arn:'),
  OFFICE_TOPIC_ARN_PREFIX: z.string().startsWith('arn:'),
});
/** The registry topics' sync (a CloudFormation custom resource): names, key, what to do with removed topics. */
export const TopicSyncConfig = Common.extend({
  STACK_NAME: z.string().min(1),
  TOPIC_ARN_PREFIX: z.string().startsWith('arn:'),
  TOPIC_KEY_ARN: z.string().startsWith('arn:'),
  REMOVED_TOPICS: z.enum(['delete', 'retain']).default('retain'),
});

export const ApiConfig = Common.extend({
  UPLOAD_BUCKET: z.string().min(1),
  TABLE_NAME: z.string().min(1),
  UPLOAD_MIN_BYTES: z.coerce.number().int().min(1).default(1),
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(50 * 1024 * 1024),
});

export function loadConfig<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv = process.env): z.infer<T> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  return parsed.data;
}
