import { z } from 'zod';
import { EXTRACTION_ERROR_CODES } from '../extract/errors.ts';
import { ExtractedDocument } from '../extract/types.ts';
import { UploadRef } from '../report/record.ts';

/**
 * The claim-check document the extract step stores for each uploaded object version and whose arrival
 * drives the parse step: the extraction, or the extraction failure, and the upload it came from. The
 * parse step can run again on it at any time without extracting again.
 */
export const ExtractionEnvelope = z.object({
  envelopeVersion: z.literal(1),
  agencyId: z.string(),
  upload: UploadRef,
  sha256: z.string(),
  bytes: z.number().int().min(0),
  extractedAt: z.string(),
  result: z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), document: ExtractedDocument }),
    z.object({ ok: z.literal(false), code: z.enum(EXTRACTION_ERROR_CODES), message: z.string() }),
  ]),
});
export type ExtractionEnvelope = z.infer<typeof ExtractionEnvelope>;
