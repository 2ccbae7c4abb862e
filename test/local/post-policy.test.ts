import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyPostPolicy } from '../../local/post-policy.ts';
import { keyProblem, MAX_SEGMENT_BYTES } from '../../local/s3-keys.ts';

/** The POST policy rules the gate applies, on policies signed here with a known secret. */
const credentials = { accessKeyId: 'AKID', secretAccessKey: 'secret' };

/** SigV4's signing key, written out from AWS's documentation: the gate's signer is checked against it. */
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
const signingKey = (secret: string, date: string, region: string, service: string) =>
  hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
// biome-ignore lint/suspicious/noTemplateCurlyInString: S3's literal variable, not a template
const FILENAME = '${filename}';
const now = new Date('2026-11-30T12:00:00Z');

function signed(conditions: unknown[], fields: Record<string, string>, expiration = '2026-11-30T12:10:00Z') {
  const policy = Buffer.from(JSON.stringify({ expiration, conditions })).toString('base64');
  const signature = createHmac('sha256', signingKey('secret', '20261130', 'local', 's3'))
    .update(policy)
    .digest('hex');
  return Object.entries({
    ...fields,
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': 'AKID/20261130/local/s3/aws4_request',
    'X-Amz-Date': '20261130T115900Z',
    Policy: policy,
    'X-Amz-Signature': signature,
  });
}
const base = [
  { 'x-amz-algorithm': 'AWS4-HMAC-SHA256' },
  { 'x-amz-credential': 'AKID/20261130/local/s3/aws4_request' },
  { 'x-amz-date': '20261130T115900Z' },
];

describe('verifyPostPolicy', () => {
  it('accepts starts-with and S3’s filename variable, with condition names case-insensitive', async () => {
    const form = signed([...base, ['starts-with', '$key', 'incoming/a/'], ['content-length-range', 1, 10]], {
      key: `incoming/a/${FILENAME}`,
    });
    const ok = await verifyPostPolicy(form, 'b', 'r.pdf', credentials, now);
    expect(ok.key).toBe('incoming/a/r.pdf');
    expect(ok.size).toEqual({ min: 1, max: 10 });
  });

  it('refuses a starts-with that does not match, or a file name that climbs out', async () => {
    const form = signed([...base, ['starts-with', '$key', 'incoming/a/']], { key: `incoming/a/${FILENAME}` });
    await expect(verifyPostPolicy(form, 'b', '../../x', credentials, now)).rejects.toThrow(
      expect.objectContaining({ code: 'InvalidArgument' }),
    );
    const other = signed([...base, ['starts-with', '$key', 'incoming/a/']], { key: 'incoming/b/x' });
    await expect(verifyPostPolicy(other, 'b', 'f', credentials, now)).rejects.toThrow(
      expect.objectContaining({ code: 'AccessDenied' }),
    );
  });

  it('refuses the wrong bucket, an unknown key id, a policy that is not JSON', async () => {
    const form = signed([...base, { bucket: 'b' }, { key: 'k' }], { key: 'k' });
    await expect(verifyPostPolicy(form, 'other', 'f', credentials, now)).rejects.toThrow(
      expect.objectContaining({ code: 'AccessDenied' }),
    );
    await expect(verifyPostPolicy(form, 'b', 'f', { ...credentials, accessKeyId: 'X' }, now)).rejects.toThrow(
      expect.objectContaining({ code: 'InvalidAccessKeyId' }),
    );
    const notJson = Buffer.from('{nope').toString('base64');
    const sig = createHmac('sha256', signingKey('secret', '20261130', 'local', 's3'))
      .update(notJson)
      .digest('hex');
    const bad = form.map(([n, v]) =>
      n === 'Policy' ? [n, notJson] : n === 'X-Amz-Signature' ? [n, sig] : [n, v],
    ) as [string, string][];
    await expect(verifyPostPolicy(bad, 'b', 'f', credentials, now)).rejects.toThrow(
      expect.objectContaining({ code: 'InvalidPolicyDocument' }),
    );
  });

  it('refuses any key the local store cannot hold inside its folder', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', '..', '.', 'b c', '报告'), { minLength: 1, maxLength: 6 }),
        (segments) => {
          const key = segments.join('/');
          const problem = keyProblem(key);
          expect(problem !== null).toBe(segments.includes('..') || segments.includes('.'));
        },
      ),
    );
    expect(keyProblem(`incoming/a/${'报'.repeat(Math.ceil(MAX_SEGMENT_BYTES / 3) + 1)}`)?.code).toBe(
      'KeyTooLongError',
    );
    expect(keyProblem('x'.repeat(1025))?.code).toBe('KeyTooLongError');
  });
});
