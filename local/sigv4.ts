import { timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { headerValue } from './http-answer.ts';

/**
 * AWS Signature Version 4 as S3 checks it, for the local S3 gate (s3rver verifies no V4 signature at
 * all). The signing itself is the AWS SDK's own signer (`@smithy/signature-v4`, the one the clients sign
 * with): a request is verified by signing it again with the local credentials, the date and the headers
 * it says it signed, and comparing the two signatures in constant time. Two uses: the `Authorization`
 * header of the SDK's requests, and the signature over a pre-signed POST's policy.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
 */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const SERVICE = 's3';
/** The request shape the signer signs (`@smithy/types`' HttpRequest). */
type SignableRequest = Parameters<SignatureV4['presign']>[0];

/** S3 signs the path as sent (the SDK encodes each segment once) and the declared payload hash. */
const signerFor = (credentials: Credentials, region: string) =>
  new SignatureV4({
    service: SERVICE,
    region,
    credentials,
    sha256: Sha256,
    uriEscapePath: false,
    applyChecksum: false,
  });

/** Hex signatures compared in constant time (a mismatch of length is simply false). */
export function sameSignature(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `20261130T230405Z` → Date; null for anything else. */
export function parseAmzDate(value: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (m === null) return null;
  const [y = 0, mo = 1, d = 0, h = 0, mi = 0, s = 0] = m.slice(1).map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A credential scope's `YYYYMMDD` as the signer's date: null for a day that does not exist (the signer
 * could not sign it). */
function scopeDay(date: string): Date | null {
  const day = parseAmzDate(`${date}T000000Z`);
  return day?.toISOString().startsWith(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`)
    ? day
    : null;
}

/**
 * Whether `signature` is the SigV4 signature of a POST policy (the base64 text as sent) under the scope
 * `date`/`region`/s3, as the SDK's createPresignedPost signs it. False for a scope date that does not exist.
 */
export async function isPolicySignature(
  policy: string,
  signature: string,
  credentials: Credentials,
  scope: { date: string; region: string },
): Promise<boolean> {
  const day = scopeDay(scope.date);
  if (day === null) return false;
  const expected = await signerFor(credentials, scope.region).sign(policy, {
    signingDate: day,
    signingRegion: scope.region,
    signingService: SERVICE,
  });
  return sameSignature(expected, signature);
}

export type HeaderCheck = { ok: true; accessKeyId: string } | { ok: false; code: string; message: string };

const HEADER =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/s3\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;
const SKEW_MS = 15 * 60 * 1000;
/** Headers the signer adds or drops on its own: each is signed only when the request says it signed it. */
const SIGNER_MANAGED = ['x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token'];

/** The query as the signer takes it (names and values decoded); null when a part does not decode. */
function decodedQuery(rawQuery: string): SignableRequest['query'] | null {
  const query: Record<string, string[]> = {};
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    try {
      const name = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
      const value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
      query[name] = [...(query[name] ?? []), value];
    } catch {
      return null;
    }
  }
  return Object.fromEntries(
    Object.entries(query).map(([name, values]) => [name, values.length === 1 ? (values[0] ?? '') : values]),
  );
}

/**
 * Verifies a header-signed request the way S3 does: the access key, the clock skew, the signed headers
 * (host must be among them) and the signature over the canonical request. The payload is taken by its
 * declared `x-amz-content-sha256`; the gate does not re-hash bodies.
 */
export async function verifyHeaderSignature(
  request: {
    method: string;
    rawPath: string;
    rawQuery: string;
    headers: Record<string, string | string[] | undefined>;
  },
  credentials: Credentials,
  now: Date = new Date(),
): Promise<HeaderCheck> {
  const header = request.headers.authorization;
  const m = typeof header === 'string' ? HEADER.exec(header) : null;
  if (m === null) {
    return {
      ok: false,
      code: 'AuthorizationHeaderMalformed',
      message: 'The authorization header is malformed.',
    };
  }
  const [, accessKeyId = '', date = '', region = '', signed = '', signature = ''] = m;
  if (accessKeyId !== credentials.accessKeyId) {
    return {
      ok: false,
      code: 'InvalidAccessKeyId',
      message: 'The AWS Access Key Id you provided does not exist in our records.',
    };
  }
  const amzDate = request.headers['x-amz-date'];
  const time = typeof amzDate === 'string' ? parseAmzDate(amzDate) : null;
  if (time === null || !amzDate?.toString().startsWith(date)) {
    return {
      ok: false,
      code: 'AccessDenied',
      message: 'AWS authentication requires a valid x-amz-date header',
    };
  }
  if (Math.abs(now.getTime() - time.getTime()) > SKEW_MS) {
    return {
      ok: false,
      code: 'RequestTimeTooSkewed',
      message: 'The difference between the request time and the current time is too large.',
    };
  }
  const names = signed.split(';');
  const payload = request.headers['x-amz-content-sha256'];
  const query = decodedQuery(request.rawQuery);
  if (!names.includes('host') || typeof payload !== 'string' || query === null) {
    return { ok: false, code: 'AccessDenied', message: 'The request is not signed as S3 requires.' };
  }
  // Only the headers the request signed, plus the payload hash the signer reads (signed or not).
  const headers: Record<string, string> = { 'x-amz-content-sha256': payload };
  for (const name of names) headers[name] = headerValue(request.headers[name]) ?? '';
  const resigned = await signerFor(credentials, region).sign(
    { method: request.method, protocol: 'http:', hostname: '', path: request.rawPath, query, headers },
    {
      signingDate: time,
      signingRegion: region,
      signingService: SERVICE,
      signableHeaders: new Set(names),
      unsignableHeaders: new Set(SIGNER_MANAGED.filter((name) => !names.includes(name))),
    },
  );
  const expected =
    /Signature=([0-9a-f]{64})$/.exec(headerValue(resigned.headers.authorization) ?? '')?.[1] ?? '';
  if (!sameSignature(expected, signature)) {
    return {
      ok: false,
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided.',
    };
  }
  return { ok: true, accessKeyId };
}
