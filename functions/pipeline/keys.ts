import { createHash } from 'node:crypto';

/**
 * Object keys of the bucket. Agencies write under `incoming/{agencyId}/…`; the extract step writes its
 * claim-check document under `extracted/{agencyId}/…`; the example stream consumer under `exports/`.
 */
export const INCOMING_PREFIX = 'incoming/';
export const EXTRACTED_PREFIX = 'extracted/';
export const EXPORTS_PREFIX = 'exports/';

/** Agency ids: lower-case letters, digits and hyphens, as in config/agencies.json. */
export const AGENCY_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

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
