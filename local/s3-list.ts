import { z } from 'zod';
import { S3Refusal } from './s3-refusal.ts';
import { escapeHtml } from './web/escape.js';

/**
 * ListObjectsV2 as S3 answers it (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html):
 * keys in UTF-8 byte order after `start-after` or the continuation token, at most `max-keys` (1,000 at
 * most) of them and of the common prefixes a `delimiter` rolls them into, `encoding-type=url` honoured.
 * The continuation token is opaque to clients, as S3's is: here the bucket and the last key (or common
 * prefix) of the page, base64url-encoded.
 */
export interface ListSource {
  /** Every key under the prefix, in UTF-8 byte order. */
  keys: (prefix: string) => string[];
  /** The object's listing entry, or null when it went meanwhile. */
  describe: (key: string) => Promise<LatestVersion | null>;
}

/** An object as the local run lists it for itself: with the version id S3's listing does not give. */
export interface LatestVersion {
  key: string;
  versionId: string;
  size: number;
  eTag: string;
  lastModified: Date;
}

const MAX_KEYS = 1000;
// XML's markup characters are HTML's: the one escaping module serves both.
const esc = escapeHtml;

interface Token {
  bucket: string;
  after: string;
}

const TokenShape = z.object({ bucket: z.string(), after: z.string() });

const encodeToken = (token: Token) => Buffer.from(JSON.stringify(token), 'utf8').toString('base64url');

function decodeToken(text: string, bucket: string): Token {
  try {
    const token = TokenShape.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    if (token.success && token.data.bucket === bucket) return { bucket, after: token.data.after };
  } catch {
    // fall through
  }
  throw new S3Refusal('InvalidArgument', 'The continuation token provided is incorrect');
}

function maxKeysOf(value: string | null): number {
  if (value === null) return MAX_KEYS;
  const n = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 0 || n > 2147483647) {
    throw new S3Refusal('InvalidArgument', 'Argument maxKeys must be an integer between 0 and 2147483647');
  }
  return Math.min(MAX_KEYS, n);
}

export async function listObjectsV2(
  bucket: string,
  query: URLSearchParams,
  source: ListSource,
): Promise<string> {
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const maxKeys = maxKeysOf(query.get('max-keys'));
  const tokenText = query.get('continuation-token');
  const startAfter = query.get('start-after') ?? '';
  const after = tokenText === null || tokenText === '' ? startAfter : decodeToken(tokenText, bucket).after;
  const url = query.get('encoding-type') === 'url';
  const name = (s: string) => esc(url ? encodeURIComponent(s).replace(/%2F/g, '/') : s);

  const keys: string[] = [];
  const prefixes: string[] = [];
  let last = '';
  let truncated = false;
  const afterBytes = Buffer.from(after);
  for (const key of maxKeys === 0 ? [] : source.keys(prefix)) {
    if (Buffer.compare(Buffer.from(key), afterBytes) <= 0) continue;
    const at = delimiter === '' ? -1 : key.indexOf(delimiter, prefix.length);
    const common = at < 0 ? null : key.slice(0, at + delimiter.length);
    // A common prefix the previous page ended on, or one already given on this page.
    if (common !== null && (common === after || common === prefixes.at(-1))) continue;
    if (keys.length + prefixes.length >= maxKeys) {
      truncated = true;
      break;
    }
    if (common === null) keys.push(key);
    else prefixes.push(common);
    last = common ?? key;
  }
  const contents: string[] = [];
  for (const key of keys) {
    const o = await source.describe(key);
    if (o === null) continue;
    contents.push(
      `<Contents><Key>${name(o.key)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>&quot;${esc(o.eTag)}&quot;</ETag><Size>${o.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
    );
  }
  const parts = [
    `<Name>${esc(bucket)}</Name>`,
    `<Prefix>${name(prefix)}</Prefix>`,
    tokenText === null
      ? startAfter === ''
        ? ''
        : `<StartAfter>${name(startAfter)}</StartAfter>`
      : `<ContinuationToken>${esc(tokenText)}</ContinuationToken>`,
    `<KeyCount>${contents.length + prefixes.length}</KeyCount>`,
    `<MaxKeys>${maxKeys}</MaxKeys>`,
    delimiter === '' ? '' : `<Delimiter>${name(delimiter)}</Delimiter>`,
    url ? '<EncodingType>url</EncodingType>' : '',
    `<IsTruncated>${truncated}</IsTruncated>`,
    truncated ? `<NextContinuationToken>${encodeToken({ bucket, after: last })}</NextContinuationToken>` : '',
    ...contents,
    ...prefixes.map((p) => `<CommonPrefixes><Prefix>${name(p)}</Prefix></CommonPrefixes>`),
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${parts.join('')}</ListBucketResult>`;
}
