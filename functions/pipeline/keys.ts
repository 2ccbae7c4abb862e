import { createHash } from 'node:crypto';

/**
 * Object keys of the bucket. Agencies write under `incoming/{agencyId}/…`; the extract step writes its
 * claim-check document under `extracted/{agencyId}/…`; the example stream consumer under `exports/`.
 */
export const INCOMING_PREFIX = 'incoming/';
export const EXTRACTED_PREFIX = 'extracted/';
export const EXPORTS_PREFIX = 'exports/';

/**
 * The agency-id rule, the one the registry, the upload keys, the API's token claim and the CLI's --agency
 * all apply: 1–64 lower-case letters, digits and hyphens, not starting or ending with a hyphen.
 */
export const AGENCY_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
export const AGENCY_ID_RULE = 'lower-case letters, digits and hyphens (at most 64, no hyphen at either end)';

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
  return `${EXTRACTED_PREFIX}${agencyId}/${hash}/${versionId ?? 'unversioned'}.json`;
}

/** S3 sequencers are hex strings of varying length; left-padded to one length they compare as strings. */
export function padSequencer(sequencer: string): string {
  return sequencer.toUpperCase().padStart(32, '0');
}
