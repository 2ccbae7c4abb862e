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
}

/** Reads `incoming/{agencyId}/…/{file}`; null for any other key (or one with an invalid agency id). */
export function parseUploadKey(key: string): UploadKey | null {
  if (!key.startsWith(INCOMING_PREFIX)) return null;
  const parts = key.slice(INCOMING_PREFIX.length).split('/');
  const agencyId = parts[0] ?? '';
  const fileName = parts.at(-1) ?? '';
  if (parts.length < 2 || !AGENCY_ID.test(agencyId) || fileName === '') return null;
  return { agencyId, fileName };
}

/**
 * The reporting year an upload was declared for: the API writes `incoming/{agencyId}/{year}/{uuid}-{name}`
 * (functions/api/upload-keys.ts). Null for keys without that segment (files dropped by hand or the CLI).
 */
export function declaredYearOf(key: string): number | null {
  if (!key.startsWith(INCOMING_PREFIX)) return null;
  const m = /^[^/]+\/((?:19|20|21)\d\d)\/[^/]/.exec(key.slice(INCOMING_PREFIX.length));
  return m === null ? null : Number(m[1]);
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
