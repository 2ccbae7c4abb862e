import { createHash } from 'node:crypto';

/**
 * Object keys of the bucket. Agencies write under `incoming/{agencyId}/…`; the extract step writes its
 * claim-check document under `extracted/{agencyId}/…`; the example stream consumer under `exports/`.
 */
export const INCOMING_PREFIX = 'incoming/';
export const EXTRACTED_PREFIX = 'extracted/';
export const EXPORTS_PREFIX = 'exports/';

/**
 * What stands for the version id of an object in a bucket without versioning, wherever a key or an id is
 * built from one (claim-check keys, the table's version items, notice ids, log keys).
 */
export const UNVERSIONED = 'unversioned';

/**
 * The agency-id rule, the one the registry, the upload keys, the API's token claim and the CLI's --agency
 * all apply: 1–64 lower-case letters, digits and hyphens, not starting or ending with a hyphen.
 */
export const AGENCY_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
export const AGENCY_ID_RULE = 'lower-case letters, digits and hyphens (at most 64, no hyphen at either end)';

/**
 * How long names may be, in UTF-8 bytes, the one rule every key builder applies (the API's upload keys,
 * the local run's keys from relative paths). S3 keys hold at most 1024 bytes. Each key segment becomes a
 * file or folder name in the local S3 (s3rver), and file systems allow 255 bytes per name, from which
 * s3rver takes up to 23 for its own suffix (`._S3rver_metadata.json`): 200 leaves room. Seventy Chinese
 * characters are 210 bytes, so a name's length in characters says nothing; only bytes count.
 */
export const MAX_KEY_BYTES = 1024;
export const MAX_SEGMENT_BYTES = 200;

export const utf8Length = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * A name cut to at most `maxBytes` UTF-8 bytes, on whole characters, keeping its extension (≤ 10
 * characters). A name that had to be cut ends in `-` and 8 hex digits of its whole form's hash, so two long
 * names that begin alike stay two keys. Names that fit are returned unchanged.
 */
export function boundName(name: string, maxBytes = MAX_SEGMENT_BYTES): string {
  if (utf8Length(name) <= maxBytes) return name;
  const mark = `-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
  const budget = maxBytes - utf8Length(mark) - utf8Length(ext);
  let head = '';
  let used = 0;
  for (const ch of name.slice(0, name.length - ext.length)) {
    const size = utf8Length(ch);
    if (used + size > budget) break;
    head += ch;
    used += size;
  }
  return `${head}${mark}${ext}`;
}

/**
 * The key of a file an agency puts into the bucket by its path relative to the agency's folder
 * (`2023/年报.docx`): the relative path is kept, so the same name in two subfolders is two keys; each
 * segment is bounded by bytes, and when the folders together would pass the key limit they are folded
 * into one bounded segment (hashed, so still apart).
 */
export function uploadKeyFor(agencyId: string, relativePath: string): string {
  const segments = relativePath
    .split(/[/\\]/)
    .filter((s) => s !== '' && s !== '.' && s !== '..')
    .map((s) => boundName(s));
  const fileName = segments.pop() ?? 'report';
  const prefix = `${INCOMING_PREFIX}${agencyId}/`;
  const full = `${prefix}${[...segments, fileName].join('/')}`;
  if (utf8Length(full) <= MAX_KEY_BYTES) return full;
  // prefix ≤ 74 bytes + two segments of ≤ 200: well inside the limit.
  // The folders joined are over 750 bytes here, so always cut and hashed whole (with their slashes).
  return `${prefix}${boundName(segments.join('/')).replaceAll('/', '_')}/${fileName}`;
}

export interface UploadKey {
  agencyId: string;
  /** The last path segment: the file name as uploaded. */
  fileName: string;
  /**
   * The reporting year the agency declared when it uploaded: the `{year}` of the API's keys
   * `incoming/{agencyId}/{year}/{uuid}-{name}`; null for a key without one (a file put there by hand).
   */
  declaredYear: number | null;
}

/** Reads `incoming/{agencyId}/[{year}/]…/{file}`; null for any other key (or one with an invalid agency id). */
export function parseUploadKey(key: string): UploadKey | null {
  if (!key.startsWith(INCOMING_PREFIX)) return null;
  const parts = key.slice(INCOMING_PREFIX.length).split('/');
  const agencyId = parts[0] ?? '';
  const fileName = parts.at(-1) ?? '';
  if (parts.length < 2 || !AGENCY_ID.test(agencyId) || fileName === '') return null;
  const year = parts.length >= 3 ? /^(\d{4})$/.exec(parts[1] ?? '')?.[1] : undefined;
  return { agencyId, fileName, declaredYear: year === undefined ? null : Number(year) };
}

/**
 * Where the extraction of one uploaded object version is stored. A hash of the key keeps it short and
 * free of the characters agencies put in file names; the version keeps versions apart.
 */
export function extractedKeyFor(agencyId: string, key: string, versionId: string | null): string {
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 32);
  return `${EXTRACTED_PREFIX}${agencyId}/${hash}/${versionId ?? UNVERSIONED}.json`;
}

/** S3 sequencers are hex strings of varying length; left-padded to one length they compare as strings. */
export function padSequencer(sequencer: string): string {
  return sequencer.toUpperCase().padStart(32, '0');
}
