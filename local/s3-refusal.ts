import { escapeHtml } from './web/escape.js';

/**
 * The errors the local S3 gate answers with, as S3 does: an XML body with Code and Message and the HTTP
 * status S3 uses for that code (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
 */
const STATUS = {
  AccessDenied: 403,
  AuthorizationHeaderMalformed: 400,
  EntityTooLarge: 400,
  EntityTooSmall: 400,
  IncompleteBody: 400,
  InternalError: 500,
  InvalidAccessKeyId: 403,
  InvalidArgument: 400,
  InvalidPolicyDocument: 400,
  InvalidURI: 400,
  KeyTooLongError: 400,
  MalformedPOSTRequest: 400,
  MaxPostPreDataLengthExceeded: 400,
  PreconditionFailed: 412,
  RequestTimeTooSkewed: 403,
  SignatureDoesNotMatch: 403,
} as const;

export type S3ErrorCode = keyof typeof STATUS;

export class S3Refusal extends Error {
  override name = 'S3Refusal';
  readonly code: S3ErrorCode;
  readonly status: number;
  constructor(code: S3ErrorCode, message: string) {
    super(message);
    this.code = code;
    this.status = STATUS[code];
  }

  xml(): string {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${this.code}</Code><Message>${escapeHtml(this.message)}</Message></Error>`;
  }
}

export const isS3ErrorCode = (code: string): code is S3ErrorCode => code in STATUS;
