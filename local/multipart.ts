import { S3Refusal } from './s3-refusal.ts';

/**
 * A streaming multipart/form-data reader for S3 POST uploads: fields are collected (at most 20 KB before
 * the file, as S3 allows), the file's bytes are handed on as they arrive and never held whole. S3 ignores
 * everything after the file part, so reading stops there.
 */
export type FormEvent =
  | { type: 'field'; name: string; value: string }
  | { type: 'file'; name: string; fileName: string; contentType: string | undefined }
  | { type: 'data'; chunk: Buffer }
  | { type: 'end' };

/** S3's limit on the form fields that precede the file. */
export const MAX_PRE_DATA_BYTES = 20 * 1024;
const MAX_HEADER_BYTES = 8 * 1024;

const malformed = () =>
  new S3Refusal(
    'MalformedPOSTRequest',
    'The body of your POST request is not well-formed multipart/form-data.',
  );

export function boundaryOf(contentType: string | undefined): string | null {
  if (!/^multipart\/form-data\s*;/i.test(contentType ?? '')) return null;
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType ?? '');
  return m?.[1] ?? m?.[2] ?? null;
}

export class MultipartReader {
  readonly #delimiter: Buffer;
  #buffer: Buffer = Buffer.alloc(0);
  #state: 'preamble' | 'headers' | 'field' | 'file' | 'done' = 'preamble';
  #field = { name: '', parts: [] as Buffer[] };
  #preData = 0;

  constructor(boundary: string) {
    this.#delimiter = Buffer.from(`\r\n--${boundary}`);
  }

  get done(): boolean {
    return this.#state === 'done';
  }

  /** Feeds a chunk; returns what it completed. Throws S3Refusal on a malformed or oversized form. */
  push(chunk: Buffer): FormEvent[] {
    if (this.#state === 'done') return [];
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const events: FormEvent[] = [];
    for (;;) {
      const before = this.#buffer.length;
      this.#step(events);
      if (this.done || this.#buffer.length === before) break;
    }
    return events;
  }

  /** The body ended: complete only when the file part was closed by a boundary. */
  finish(): void {
    if (this.#state !== 'done') throw new S3Refusal('IncompleteBody', 'The request body ended early.');
  }

  #countPreData(n: number): void {
    this.#preData += n;
    if (this.#preData > MAX_PRE_DATA_BYTES) {
      throw new S3Refusal(
        'MaxPostPreDataLengthExceeded',
        'Your POST request fields preceding the upload file were too large.',
      );
    }
  }

  #step(events: FormEvent[]): void {
    const buf = this.#buffer;
    if (this.#state === 'preamble') {
      // The first boundary has no CRLF before it when the body starts with it.
      const first = this.#delimiter.subarray(2);
      const at = buf.indexOf(first);
      if (at < 0) {
        this.#countPreData(Math.max(0, buf.length - first.length));
        this.#buffer = buf.subarray(Math.max(0, buf.length - first.length));
        return;
      }
      if (buf.length < at + first.length + 2) return;
      if (buf.subarray(at + first.length, at + first.length + 2).toString() !== '\r\n') throw malformed();
      this.#countPreData(at + first.length + 2);
      this.#buffer = buf.subarray(at + first.length + 2);
      this.#state = 'headers';
      return;
    }
    if (this.#state === 'headers') {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buf.length > MAX_HEADER_BYTES) throw malformed();
        return;
      }
      const part = parsePartHeaders(buf.subarray(0, end).toString('utf8'));
      this.#countPreData(end + 4);
      this.#buffer = buf.subarray(end + 4);
      if (part.name.toLowerCase() === 'file') {
        this.#state = 'file';
        events.push({
          type: 'file',
          name: part.name,
          fileName: part.fileName ?? '',
          contentType: part.contentType,
        });
      } else {
        this.#state = 'field';
        this.#field = { name: part.name, parts: [] };
      }
      return;
    }
    // A field's or the file's body runs up to the next delimiter, which may straddle two chunks.
    const at = buf.indexOf(this.#delimiter);
    const usable = at >= 0 ? at : Math.max(0, buf.length - this.#delimiter.length);
    if (usable > 0) {
      const data = buf.subarray(0, usable);
      if (this.#state === 'file') events.push({ type: 'data', chunk: data });
      else {
        this.#countPreData(usable);
        this.#field.parts.push(data);
      }
      this.#buffer = buf.subarray(usable);
    }
    if (at < 0) return;
    const rest = this.#buffer.subarray(this.#delimiter.length);
    if (rest.length < 2) return;
    const after = rest.subarray(0, 2).toString();
    if (after !== '\r\n' && after !== '--') throw malformed();
    if (this.#state === 'file') {
      this.#state = 'done';
      events.push({ type: 'end' });
      this.#buffer = Buffer.alloc(0);
      return;
    }
    events.push({
      type: 'field',
      name: this.#field.name,
      value: Buffer.concat(this.#field.parts).toString('utf8'),
    });
    this.#countPreData(this.#delimiter.length + 2);
    this.#buffer = rest.subarray(2);
    // The form ended without a file: S3 answers that a POST needs exactly one.
    if (after === '--') {
      throw new S3Refusal('InvalidArgument', 'POST requires exactly one file upload per request.');
    }
    this.#state = 'headers';
  }
}

function parsePartHeaders(block: string): { name: string; fileName?: string; contentType?: string } {
  let name: string | undefined;
  let fileName: string | undefined;
  let contentType: string | undefined;
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) throw malformed();
    const header = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (header === 'content-disposition') {
      if (!/^form-data\b/i.test(value)) throw malformed();
      name = /;\s*name="([^"]*)"/i.exec(value)?.[1];
      fileName = /;\s*filename="([^"]*)"/i.exec(value)?.[1];
    } else if (header === 'content-type') contentType = value;
  }
  if (name === undefined || name === '') throw malformed();
  return {
    name,
    ...(fileName === undefined ? {} : { fileName }),
    ...(contentType === undefined ? {} : { contentType }),
  };
}
