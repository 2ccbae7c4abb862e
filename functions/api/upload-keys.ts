import {
  boundName,
  INCOMING_PREFIX,
  MAX_KEY_BYTES,
  MAX_SEGMENT_BYTES,
  parseUploadKey,
  utf8Length,
} from '../pipeline/keys.ts';

/**
 * Keys of pre-signed uploads. The server builds them from the caller's verified agency id, a year and a
 * fresh UUID; the file name only contributes a cleaned-up tail, so no name or request can reach outside
 * `incoming/{agencyId}/`.
 */
const UUID_PREFIX_BYTES = 37;

/**
 * The last path segment of a name, with anything but letters, digits, CJK, . _ - ( ) （ ） replaced, bounded
 * by bytes (functions/pipeline/keys.ts) so that `{uuid}-{name}` fits one stored segment.
 */
export function safeFileName(name: string): string {
  const last = name.normalize('NFC').split(/[/\\]/).at(-1) ?? '';
  let safe = last
    .replace(/[^\p{L}\p{N}._\-()（）]/gu, '_')
    .replace(/_+/g, '_')
    .replace(/^[._]+/, '');
  // The key's last segment is `{uuid}-{name}`: the name gets what the one byte rule leaves it.
  safe = boundName(safe, MAX_SEGMENT_BYTES - UUID_PREFIX_BYTES);
  return safe === '' || safe === '.' || safe === '..' ? 'report' : safe;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Where an agency's uploads for a declared year live: `incoming/{agencyId}/{year}/`. */
export const uploadPrefix = (agencyId: string, year: number): string =>
  `${INCOMING_PREFIX}${agencyId}/${year}/`;

export function uploadKey(agencyId: string, year: number, uuid: string, fileName: string): string {
  if (!UUID.test(uuid)) throw new Error('uuid expected');
  return `${uploadPrefix(agencyId, year)}${uuid}-${safeFileName(fileName)}`;
}

/** The file name an upload key carries (after its UUID), as cleaned up when the upload was signed. */
export const fileNameOfKey = (key: string): string =>
  (key.split('/').at(-1) ?? '').replace(/^[0-9a-f-]{36}-/, '');

/** The id a caller uses to ask about its upload: the key below its agency's prefix, base64url-encoded. */
export function uploadIdFor(key: string): string {
  const rest = key.split('/').slice(2).join('/');
  return Buffer.from(rest, 'utf8').toString('base64url');
}

/**
 * The key an upload id stands for, within the caller's own prefix; null for an id that is not the
 * canonical encoding of `{year}/…` below it. Every upload the list shows opens: the API's own
 * (`{year}/{uuid}-{name}`) and any other object under the year's prefix (a batch or `--watch` file, a
 * direct put; issue 22 N4). An id can never name another agency's object: the caller's prefix is put first.
 */
export function keyForUploadId(agencyId: string, id: string): string | null {
  if (!/^[A-Za-z0-9_-]{1,1400}$/.test(id)) return null;
  const rest = Buffer.from(id, 'base64url').toString('utf8');
  if (!/^\d{4}\/./.test(rest)) return null;
  const key = uploadKeyOfRest(id, `${agencyId}/${rest}`, rest);
  return key === null || parseUploadKey(key)?.agencyId !== agencyId ? null : key;
}

/**
 * `incoming/{rest}` when `id` is the canonical base64url of `encoded` (a re-encoding that differs means
 * invalid UTF-8 or stray bits) and the key is one the pipeline accepts: within S3's key length, no control
 * character, no empty, `.` or `..` segment.
 */
function uploadKeyOfRest(id: string, rest: string, encoded: string): string | null {
  if (Buffer.from(encoded, 'utf8').toString('base64url') !== id) return null;
  const key = `${INCOMING_PREFIX}${rest}`;
  if (utf8Length(key) > MAX_KEY_BYTES || /\p{Cc}/u.test(rest)) return null;
  if (rest.split('/').some((s) => s === '' || s === '.' || s === '..')) return null;
  return parseUploadKey(key) === null ? null : key;
}

/**
 * The id of a report in the review API: its whole key below `incoming/` (so `{agencyId}/…`),
 * base64url-encoded. Unlike an upload id it names the agency, because supervisors ask about many.
 */
export function reportIdFor(key: string): string {
  if (!key.startsWith(INCOMING_PREFIX)) throw new Error(`not an upload key: ${key}`);
  return Buffer.from(key.slice(INCOMING_PREFIX.length), 'utf8').toString('base64url');
}

/**
 * The key a report id stands for; null unless it is the canonical encoding of an upload key the pipeline
 * accepts (`{agencyId}/…`, valid UTF-8, no empty, `.` or `..` segment, no control character, within S3's
 * key length). The caller still checks that it may see that agency.
 */
export function keyForReportId(id: string): string | null {
  if (!/^[A-Za-z0-9_-]{1,1400}$/.test(id)) return null;
  const rest = Buffer.from(id, 'base64url').toString('utf8');
  return uploadKeyOfRest(id, rest, rest);
}
