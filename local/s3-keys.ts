import { MAX_KEY_BYTES } from '../functions/pipeline/keys.ts';
import { S3Refusal } from './s3-refusal.ts';

/**
 * Which object keys the local S3 can hold. S3 takes any UTF-8 key up to 1024 bytes; the local store is a
 * folder (s3rver writes `{bucket}/{key}._S3rver_object`), so a `.` or `..` segment would land outside the
 * bucket's folder and a segment longer than a file name cannot be written at all. Those are refused
 * here with S3's error codes instead of escaping or crashing.
 */
/** 255 bytes per file name, less s3rver's longest suffix (`._S3rver_metadata.json`). */
export const MAX_SEGMENT_BYTES = 255 - '._S3rver_metadata.json'.length;

export function keyProblem(key: string): S3Refusal | null {
  if (key === '') return new S3Refusal('InvalidArgument', 'An object key must not be empty.');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
    return new S3Refusal('KeyTooLongError', 'Your key is too long.');
  }
  if (key.includes('\0')) return new S3Refusal('InvalidArgument', 'An object key must not contain NUL.');
  for (const segment of key.split('/')) {
    if (segment === '.' || segment === '..') {
      return new S3Refusal(
        'InvalidArgument',
        `The key ${key} has a '${segment}' segment; the local store refuses it.`,
      );
    }
    if (Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES) {
      return new S3Refusal('KeyTooLongError', `A part of the key is longer than ${MAX_SEGMENT_BYTES} bytes.`);
    }
  }
  return null;
}
