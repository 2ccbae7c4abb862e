import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * AWS Signature Version 4 as S3 checks it, for the local S3 gate (s3rver verifies no V4 signature at
 * all). Two uses: the signing key that a pre-signed POST policy is signed with, and the `Authorization`
 * header of the SDK's own requests. https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
 */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** kSigning = HMAC chain over the scope's date, region and service. */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

/** Hex signatures compared in constant time (a mismatch of length is simply false). */
export function sameSignature(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** RFC 3986 percent-encoding, the one SigV4 uses for query names and values. */
const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The canonical query string: pairs decoded, re-encoded, sorted by name then value. */
export function canonicalQuery(rawQuery: string): string | null {
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    try {
      const name = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
      const value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
      pairs.push([rfc3986(name), rfc3986(value)]);
    } catch {
      return null;
    }
  }
  pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}

export type HeaderCheck = { ok: true; accessKeyId: string } | { ok: false; code: string; message: string };

const HEADER =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/s3\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;
const SKEW_MS = 15 * 60 * 1000;

/**
 * Verifies a header-signed request the way S3 does: the access key, the clock skew, the signed headers
 * (host must be among them) and the signature over the canonical request. S3's canonical URI is the path
 * exactly as sent (the SDK encodes each segment once and S3 does not normalise it). The payload is taken
 * by its declared `x-amz-content-sha256`; the gate does not re-hash bodies.
 */
export function verifyHeaderSignature(
  request: {
    method: string;
    rawPath: string;
    rawQuery: string;
    headers: Record<string, string | string[] | undefined>;
  },
  credentials: Credentials,
  now: Date = new Date(),
): HeaderCheck {
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
  const query = canonicalQuery(request.rawQuery);
  if (!names.includes('host') || typeof payload !== 'string' || query === null) {
    return { ok: false, code: 'AccessDenied', message: 'The request is not signed as S3 requires.' };
  }
  const canonicalHeaders = names
    .map((n) => {
      const v = request.headers[n];
      const value = Array.isArray(v) ? v.join(',') : (v ?? '');
      return `${n}:${value.trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const canonical = [request.method, request.rawPath, query, canonicalHeaders, signed, payload].join('\n');
  const scope = `${date}/${region}/s3/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonical, 'utf8').digest('hex'),
  ].join('\n');
  const expected = createHmac('sha256', signingKey(credentials.secretAccessKey, date, region, 's3'))
    .update(stringToSign, 'utf8')
    .digest('hex');
  if (!sameSignature(expected, signature)) {
    return {
      ok: false,
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided.',
    };
  }
  return { ok: true, accessKeyId };
}

/** `20261130T230405Z` → Date; null for anything else. */
export function parseAmzDate(value: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (m === null) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const date = new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 0, h ?? 0, mi ?? 0, s ?? 0));
  return Number.isNaN(date.getTime()) ? null : date;
}
