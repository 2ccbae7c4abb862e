import { describe, expect, it } from 'vitest';
import { verifyHeaderSignature } from '../../local/sigv4.ts';

/**
 * The gate's SigV4 check against the worked examples of AWS's documentation (sig-v4-header-based-auth,
 * "Examples: Signature Calculations"), so the re-signing is measured against S3's own answers, not against
 * the signer it uses.
 */
const credentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const when = new Date('2013-05-24T00:00:00Z');

function request(rawPath: string, rawQuery: string, signed: string, signature: string, extra = {}) {
  return {
    method: 'GET',
    rawPath,
    rawQuery,
    headers: {
      host: 'examplebucket.s3.amazonaws.com',
      'x-amz-date': '20130524T000000Z',
      'x-amz-content-sha256': EMPTY_SHA256,
      authorization: `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=${signed},Signature=${signature}`,
      ...extra,
    },
  };
}

const examples = [
  [
    'GET Object (a Range header)',
    request(
      '/test.txt',
      '',
      'host;range;x-amz-content-sha256;x-amz-date',
      'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
      { range: 'bytes=0-9' },
    ),
  ],
  [
    'GET Bucket Lifecycle (a query name without value)',
    request(
      '/',
      'lifecycle',
      'host;x-amz-content-sha256;x-amz-date',
      'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543',
    ),
  ],
  [
    'Get Bucket (List Objects) (a query sorted by name)',
    request(
      '/',
      'max-keys=2&prefix=J',
      'host;x-amz-content-sha256;x-amz-date',
      '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7',
    ),
  ],
] as const;

describe('verifyHeaderSignature', () => {
  it.each(examples)('accepts AWS’s example %s', async (_name, req) => {
    expect(await verifyHeaderSignature(req, credentials, when)).toEqual({
      ok: true,
      accessKeyId: credentials.accessKeyId,
    });
  });

  it.each(examples)('refuses %s with one signed header changed', async (_name, req) => {
    const changed = { ...req, headers: { ...req.headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } };
    expect(await verifyHeaderSignature(changed, credentials, when)).toMatchObject({
      ok: false,
      code: 'SignatureDoesNotMatch',
    });
  });

  it('refuses an unsigned header’s change only where it was signed, and a query that does not decode', async () => {
    const [, get] = examples[0];
    const other = { ...get, headers: { ...get.headers, 'user-agent': 'any' } };
    expect((await verifyHeaderSignature(other, credentials, when)).ok).toBe(true);
    const range = { ...get, headers: { ...get.headers, range: 'bytes=0-10' } };
    expect(await verifyHeaderSignature(range, credentials, when)).toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
    const badQuery = { ...get, rawQuery: 'a=%E0' };
    expect(await verifyHeaderSignature(badQuery, credentials, when)).toMatchObject({ code: 'AccessDenied' });
  });

  it('refuses a skewed clock, another key id, a malformed header', async () => {
    const [, get] = examples[0];
    const late = new Date(when.getTime() + 16 * 60_000);
    expect(await verifyHeaderSignature(get, credentials, late)).toMatchObject({
      code: 'RequestTimeTooSkewed',
    });
    expect(
      await verifyHeaderSignature(get, { ...credentials, accessKeyId: 'AKIDOTHER' }, when),
    ).toMatchObject({ code: 'InvalidAccessKeyId' });
    const malformed = { ...get, headers: { ...get.headers, authorization: 'AWS4-HMAC-SHA256 nonsense' } };
    expect(await verifyHeaderSignature(malformed, credentials, when)).toMatchObject({
      code: 'AuthorizationHeaderMalformed',
    });
  });
});
