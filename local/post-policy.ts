import { keyProblem } from './s3-keys.ts';
import { S3Refusal } from './s3-refusal.ts';
import { type Credentials, isPolicySignature, parseAmzDate } from './sigv4.ts';

/**
 * A browser-based upload (S3 POST with a SigV4 policy) checked as S3 checks it, before a byte of the file
 * is stored: the signature over the policy, its expiry, every condition, and no form field the policy
 * does not name. https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
 * The size condition can only be judged while the file streams; it is returned for the caller to enforce.
 */
export interface AcceptedPost {
  key: string;
  contentType: string | undefined;
  /** From `content-length-range`; null when the policy sets none. */
  size: { min: number; max: number } | null;
  /** Form fields by lower-cased name. */
  fields: Map<string, string>;
}

/** Fields that need no condition (S3: the signature, the policy, the file, and `x-ignore-` fields). */
const UNCONDITIONED = new Set(['x-amz-signature', 'policy', 'file']);

/** S3 replaces this in a POST's key with the file's name. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: S3's literal variable, not a template
const FILENAME_VARIABLE = '${filename}';
const isByteCount = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
const deny = (message: string) => new S3Refusal('AccessDenied', message);
const invalidPolicy = (message: string) =>
  new S3Refusal('InvalidPolicyDocument', `Invalid Policy: ${message}`);

/**
 * @param form the form fields before the file, names as sent
 * @param fileName the file part's file name (for S3's `${filename}` in the key)
 */
export async function verifyPostPolicy(
  form: [string, string][],
  bucket: string,
  fileName: string,
  credentials: Credentials,
  now: Date = new Date(),
): Promise<AcceptedPost> {
  const fields = new Map<string, string>();
  for (const [name, value] of form) {
    const lower = name.toLowerCase();
    if (fields.has(lower)) throw new S3Refusal('InvalidArgument', `Duplicate form field: ${name}`);
    fields.set(lower, value);
  }
  const policy = fields.get('policy');
  if (policy === undefined) throw deny('Anonymous access is forbidden for this operation.');
  if (fields.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256') {
    throw new S3Refusal('InvalidArgument', 'Only the AWS4-HMAC-SHA256 algorithm is supported.');
  }
  const credential = /^([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request$/.exec(
    fields.get('x-amz-credential') ?? '',
  );
  const signature = fields.get('x-amz-signature') ?? '';
  const amzDate = fields.get('x-amz-date') ?? '';
  if (credential === null || parseAmzDate(amzDate) === null || !/^[0-9a-f]{64}$/.test(signature)) {
    throw new S3Refusal(
      'InvalidArgument',
      'The POST is missing or malforms its credential, date or signature.',
    );
  }
  const [, accessKeyId = '', date = '', region = ''] = credential;
  if (accessKeyId !== credentials.accessKeyId) {
    throw new S3Refusal(
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
    );
  }
  if (!(await isPolicySignature(policy, signature, credentials, { date, region }))) {
    throw new S3Refusal(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
    );
  }

  let document: unknown;
  try {
    document = JSON.parse(Buffer.from(policy, 'base64').toString('utf8'));
  } catch {
    throw invalidPolicy('Invalid JSON.');
  }
  const parsed = typeof document === 'object' && document !== null ? document : {};
  const expiration = 'expiration' in parsed ? parsed.expiration : undefined;
  const conditions = 'conditions' in parsed ? parsed.conditions : undefined;
  const expires = typeof expiration === 'string' ? Date.parse(expiration) : Number.NaN;
  if (Number.isNaN(expires)) throw invalidPolicy("Invalid 'expiration' value.");
  if (!Array.isArray(conditions)) throw invalidPolicy('Policy is missing the conditions.');
  if (now.getTime() > expires) throw deny('Invalid according to Policy: Policy expired.');

  const key = (fields.get('key') ?? '').replaceAll(FILENAME_VARIABLE, fileName);
  if (!fields.has('key'))
    throw new S3Refusal('InvalidArgument', "Bucket POST must contain a field named 'key'.");
  // The values conditions are judged against: the form as sent, the bucket from the URL, the key expanded.
  const values = new Map(fields);
  values.set('key', key);
  if (values.has('bucket') && values.get('bucket') !== bucket)
    throw deny('Invalid according to Policy: bucket');
  values.set('bucket', bucket);

  const conditioned = new Set<string>();
  // Several content-length-range conditions all hold: the narrowest range.
  const range = { min: 0, max: Number.POSITIVE_INFINITY, given: false };
  for (const condition of conditions) {
    const failed = () =>
      deny(`Invalid according to Policy: Policy Condition failed: ${JSON.stringify(condition)}`);
    if (Array.isArray(condition)) {
      const [op, a, b]: unknown[] = condition;
      if (op === 'content-length-range') {
        if (!isByteCount(a) || !isByteCount(b) || a > b) throw invalidPolicy('Invalid content-length-range.');
        range.min = Math.max(range.min, a);
        range.max = Math.min(range.max, b);
        range.given = true;
        continue;
      }
      if (
        (op !== 'eq' && op !== 'starts-with') ||
        typeof a !== 'string' ||
        !a.startsWith('$') ||
        typeof b !== 'string'
      ) {
        throw invalidPolicy(`Invalid condition ${JSON.stringify(condition)}.`);
      }
      const name = a.slice(1).toLowerCase();
      conditioned.add(name);
      const value = values.get(name);
      if (value === undefined || (op === 'eq' ? value !== b : !value.startsWith(b))) throw failed();
    } else if (condition !== null && typeof condition === 'object' && Object.keys(condition).length === 1) {
      const [[name, expectedValue] = ['', '']] = Object.entries(condition);
      if (typeof expectedValue !== 'string')
        throw invalidPolicy(`Invalid condition ${JSON.stringify(condition)}.`);
      conditioned.add(name.toLowerCase());
      if (values.get(name.toLowerCase()) !== expectedValue) throw failed();
    } else {
      throw invalidPolicy(`Invalid condition ${JSON.stringify(condition)}.`);
    }
  }
  const extra = [...fields.keys()].filter(
    (name) => !UNCONDITIONED.has(name) && !name.startsWith('x-ignore-') && !conditioned.has(name),
  );
  if (extra.length > 0) throw deny(`Invalid according to Policy: Extra input fields: ${extra.join(', ')}`);

  const problem = keyProblem(key);
  if (problem !== null) throw problem;
  const size = range.given ? { min: range.min, max: range.max } : null;
  return { key, contentType: fields.get('content-type'), size, fields };
}
