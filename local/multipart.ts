import { once } from 'node:events';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { S3Refusal } from './s3-refusal.ts';

/**
 * The multipart/form-data of an S3 POST upload, read with busboy: the fields before the file are
 * collected (at most 20 KB of form before the file's bytes, as S3 allows), then the file's bytes are handed
 * on as they arrive, never held whole. S3 ignores everything after the file part, so reading stops there.
 */

/** S3's limit on the form that precedes the file's bytes (fields, their part headers, the boundaries). */
export const MAX_PRE_DATA_BYTES = 20 * 1024;

export interface FormFile {
  /** The file part's file name as sent (for S3's `${filename}`), path and all. */
  fileName: string;
  /** The file's bytes; ends when the part is closed by its boundary. */
  stream: Readable;
}

/** Consumes the file: resolves once its stream is read to the end (or rejects, which stops the form). */
export type FileReceiver<T> = (fields: [string, string][], file: FormFile) => Promise<T>;

const malformed = () =>
  new S3Refusal(
    'MalformedPOSTRequest',
    'The body of your POST request is not well-formed multipart/form-data.',
  );
const incomplete = () => new S3Refusal('IncompleteBody', 'The request body ended early.');
const noFile = () => new S3Refusal('InvalidArgument', 'POST requires exactly one file upload per request.');
const preDataTooLarge = () =>
  new S3Refusal(
    'MaxPostPreDataLengthExceeded',
    'Your POST request fields preceding the upload file were too large.',
  );

/** busboy's errors as S3 names them: a body that stops short, or one that is not a form. */
const refusalFor = (error: unknown): S3Refusal =>
  error instanceof S3Refusal
    ? error
    : error instanceof Error && /^Unexpected end of (form|file)$/.test(error.message)
      ? incomplete()
      : malformed();

function parserFor(contentType: string | undefined): busboy.Busboy {
  const notAForm = new S3Refusal(
    'PreconditionFailed',
    'Bucket POST must be of the enclosure-type multipart/form-data',
  );
  // busboy also reads urlencoded forms; S3 takes only multipart ones, with a boundary.
  if (contentType === undefined || !/^multipart\/form-data\s*;/i.test(contentType)) throw notAForm;
  try {
    return busboy({
      headers: { 'content-type': contentType },
      // Names and file names as UTF-8 (browsers send them raw); the file name as sent, path and all.
      defParamCharset: 'utf8',
      preservePath: true,
      limits: { fieldSize: MAX_PRE_DATA_BYTES },
    });
  } catch {
    throw notAForm;
  }
}

/**
 * Reads the form from `body`, fields first, and hands the part named `file` to `receive`. Resolves with
 * what `receive` returns once it has read the file (its part closed by a boundary); rejects with S3's
 * refusal for a form that is not one, too much before the file, no file, or a body that ends early, and
 * with `receive`'s own error.
 *
 * The 20 KB before the file is judged on the bytes as sent: until the file part has begun, busboy is fed
 * at most that much (plus the length of the boundary line, which busboy holds back until it knows the bytes
 * are no boundary), so the verdict is the same however the body arrives in chunks.
 */
export async function readPostForm<T>(
  body: Readable,
  contentType: string | undefined,
  receive: FileReceiver<T>,
): Promise<T> {
  const parser = parserFor(contentType);
  const boundaryLine = (/boundary="?([^";]+)/i.exec(contentType ?? '')?.[1]?.length ?? 70) + 4;
  const preDataLimit = MAX_PRE_DATA_BYTES + boundaryLine;
  const fields: [string, string][] = [];
  /** Parts sent as files under another name are fields to S3; their values arrive as streams. */
  const pending: Promise<void>[] = [];
  let received: Promise<T> | undefined;
  let fileRead = false;
  let fed = 0;

  // Rejects as soon as the form fails, so no wait below outlives it.
  let fail: (error: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  failed.catch(() => {});
  const finished = () => new Promise<void>((resolve) => parser.once('finish', resolve));
  // Errors reach the 'error' listener below; the write itself only says when it was parsed.
  const written = (piece: Buffer) => new Promise<void>((resolve) => parser.write(piece, () => resolve()));
  /** Resolves when the file has been read: a drain may never come once busboy waits on a stopped reader. */
  const fileDone = () => received ?? new Promise<never>(() => {});

  parser.on('field', (name, value, info) => {
    if (received !== undefined) return;
    if (info.valueTruncated) fail(preDataTooLarge());
    else if (!name) fail(malformed());
    else if (name.toLowerCase() === 'file') {
      fail(new S3Refusal('InvalidArgument', 'The file part of a POST must carry a filename.'));
    } else fields.push([name, value]);
  });
  parser.on('file', (name, stream, info) => {
    if (received !== undefined || !name) {
      // After the upload everything is ignored; before it, a part without a name is no form.
      stream.resume();
      if (received === undefined) fail(malformed());
      return;
    }
    if (name.toLowerCase() !== 'file') {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      pending.push(
        once(stream, 'end').then(() => void fields.push([name, Buffer.concat(chunks).toString()])),
      );
      return;
    }
    // busboy ends the stream with an error when the body stops inside the file.
    let cutShort: S3Refusal | undefined;
    stream.once('error', (error) => {
      cutShort = refusalFor(error);
    });
    received = Promise.all(pending)
      .then(() => receive(fields, { fileName: info.filename ?? '', stream }))
      .then(
        (value) => {
          fileRead = true;
          return value;
        },
        (error: unknown) => {
          fail(cutShort ?? error);
          throw cutShort ?? error;
        },
      );
    received.catch(() => {});
  });
  // Before the file, a parse error is the form's; after it, the file's stream says whether the file was whole.
  parser.on('error', (error) => {
    if (received === undefined) fail(refusalFor(error));
  });

  const feeding = feed();
  feeding.catch(() => {});
  try {
    await Promise.race([failed, feeding]);
    if (received === undefined) throw noFile();
    return await Promise.race([failed, received]);
  } catch (error) {
    parser.destroy();
    await received?.catch(() => {});
    throw error;
  }

  async function feed(): Promise<void> {
    await consume(body, async (chunk) => {
      let rest = chunk;
      while (rest.length > 0) {
        let piece = rest;
        if (received === undefined) {
          if (fed >= preDataLimit) throw preDataTooLarge();
          piece = rest.subarray(0, preDataLimit - fed);
          fed += piece.length;
        }
        rest = rest.subarray(piece.length);
        // Each piece is parsed before the next is fed (busboy holds its callback while the file is read).
        await Promise.race([written(piece), failed, fileDone()]);
        if (fileRead) return true;
      }
      return fileRead;
    });
    if (fileRead) return;
    // The body ended and busboy has parsed all of it. Without a file it judges the form (closed, or cut
    // short); with one, destroying it ends a file part still open in error and leaves a closed one be.
    if (received === undefined) {
      parser.end();
      await Promise.race([finished(), failed]);
    } else parser.destroy();
  }
}

/**
 * Feeds the body to `onChunk` one chunk at a time (paused while it works) until it returns true or the body
 * ends. The end can be signalled while the last chunk is still being worked on; it waits for that work.
 */
function consume(body: Readable, onChunk: (chunk: Buffer) => Promise<boolean>): Promise<void> {
  return new Promise((resolve, reject) => {
    let working: Promise<unknown> = Promise.resolve();
    let done = false;
    const finish = (error?: unknown) => {
      if (done) return;
      done = true;
      body.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onData = (chunk: Buffer) => {
      body.pause();
      working = onChunk(chunk).then(
        (stop) => (stop ? finish() : body.resume()),
        (error: unknown) => finish(error),
      );
    };
    const onEnd = () => void working.then(() => finish());
    const onError = (error: Error) => finish(error);
    const onClose = () => {
      if (!body.readableEnded) finish(incomplete());
    };
    body.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}
