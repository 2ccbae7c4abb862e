import { createHash } from 'node:crypto';
import { ExtractionError, type Extractor, type SourceFormat } from '../extract/index.ts';
import type { ExtractionEnvelope } from './envelope.ts';
import { extractedKeyFor, parseUploadKey } from './keys.ts';
import { overParseBudget } from './parse-budget.ts';
import type { ObjectStore } from './ports.ts';
import type { ObjectRef } from './s3-events.ts';

/**
 * What was read is not the object the event announced (another size or content hash): a torn or stale
 * read (the local S3 reports a write done before its data is on disk; a newer write replaced an
 * unversioned key). Never the file's fault: thrown so the message is retried.
 */
export class TornRead extends Error {
  override name = 'TornRead';
}

/**
 * Compares the bytes read with the event's size and ETag. A single-part upload's ETag is the MD5 of its
 * bytes; a multipart ETag (`…-N`) is not, so only the size is compared then.
 */
export function checkReadMatchesEvent(bytes: Uint8Array, ref: ObjectRef): void {
  if (bytes.length !== ref.size) {
    throw new TornRead(`read ${bytes.length} bytes of ${ref.key}, the event says ${ref.size}`);
  }
  if (ref.eTag === null || ref.eTag.includes('-')) return;
  const md5 = createHash('md5').update(bytes).digest('hex');
  if (md5 !== ref.eTag.toLowerCase()) {
    throw new TornRead(`read content of ${ref.key} with MD5 ${md5}, the event's ETag is ${ref.eTag}`);
  }
}

export type ExtractOutcome =
  | {
      kind: 'stored';
      key: string;
      ok: boolean;
      /** What was read, for the operator's metrics: null when the file could not be read. */
      format: SourceFormat | null;
      pages: number | null;
    }
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
  checkReadMatchesEvent(bytes, ref);

  let result: ExtractionEnvelope['result'];
  try {
    const document = await deps.extractor.extract(bytes);
    // The parse step's budget, applied before the document is stored, so no oversized claim-check lands.
    const over = overParseBudget(document);
    result = over === null ? { ok: true, document } : { ok: false, code: 'FILE_TOO_LARGE', message: over };
  } catch (error) {
    if (!(error instanceof ExtractionError)) throw error;
    result = { ok: false, code: error.code, message: error.message };
  }
  const envelope: ExtractionEnvelope = {
    envelopeVersion: 1,
    agencyId: upload.agencyId,
    upload: {
      bucket: ref.bucket,
      key: ref.key,
      versionId: ref.versionId,
      sequencer: ref.sequencer,
      eventTime: ref.eventTime,
      size: ref.size,
    },
    sha256: createHash('sha256').update(bytes).digest('hex'),
    bytes: bytes.length,
    extractedAt: (deps.now?.() ?? new Date()).toISOString(),
    result,
  };
  const key = extractedKeyFor(upload.agencyId, ref.key, ref.versionId);
  await deps.objects.put(ref.bucket, key, JSON.stringify(envelope), 'application/json');
  const document = result.ok ? result.document : null;
  return {
    kind: 'stored',
    key,
    ok: result.ok,
    format: document?.format ?? null,
    pages: document?.pages.length ?? null,
  };
}
