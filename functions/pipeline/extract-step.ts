import { createHash } from 'node:crypto';
import { ExtractionError, type Extractor } from '../extract/index.ts';
import type { ExtractionEnvelope } from './envelope.ts';
import { extractedKeyFor, parseUploadKey } from './keys.ts';
import type { ObjectStore } from './ports.ts';
import type { ObjectRef } from './s3-events.ts';

export type ExtractOutcome =
  | { kind: 'stored'; key: string; ok: boolean }
  | { kind: 'skipped'; reason: string };

/**
 * Step one: an uploaded object → its extraction (or extraction failure) stored as a claim-check JSON
 * beside it. A bad file is a result, not an error: the envelope carries the failure code and the parse
 * step turns it into a FAILED record. Anything thrown from here is transient (S3 unavailable,
 * throttling) and the message is retried.
 */
export async function extractUpload(
  ref: ObjectRef,
  deps: { objects: ObjectStore; extractor: Extractor; now?: () => Date },
): Promise<ExtractOutcome> {
  const upload = parseUploadKey(ref.key);
  if (upload === null) return { kind: 'skipped', reason: `not an upload key: ${ref.key}` };
  const bytes = await deps.objects.get(ref.bucket, ref.key, ref.versionId);
  if (bytes === null) return { kind: 'skipped', reason: `object gone before it was read: ${ref.key}` };

  let result: ExtractionEnvelope['result'];
  try {
    const document = await deps.extractor.extract(bytes);
    result = { ok: true, document };
  } catch (error) {
    if (!(error instanceof ExtractionError)) throw error;
    result = { ok: false, code: error.code, message: error.message };
  }
  const envelope: ExtractionEnvelope = {
    envelopeVersion: 1,
    agencyId: upload.agencyId,
    upload: ref,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    bytes: bytes.length,
    extractedAt: (deps.now?.() ?? new Date()).toISOString(),
    result,
  };
  const key = extractedKeyFor(upload.agencyId, ref.key, ref.versionId);
  await deps.objects.put(ref.bucket, key, JSON.stringify(envelope), 'application/json');
  return { kind: 'stored', key, ok: result.ok };
}
