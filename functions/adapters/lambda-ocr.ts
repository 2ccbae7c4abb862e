import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { type ExtractedDocument, ExtractionError, isExtractionErrorCode } from '../extract/index.ts';
import type { OcrReader } from '../pipeline/extract-step.ts';
import type { ObjectRef } from '../pipeline/s3-events.ts';

/**
 * The extract function's way to the OCR function (issue 24): a synchronous invoke with the object's
 * reference; the OCR function reads the object itself and answers with the document or a coded failure.
 * A crash, a time-out or an answer that is not one of those is our fault, never the file's: INTERNAL_ERROR.
 */
export type OcrAnswer =
  | { ok: true; document: ExtractedDocument }
  | { ok: false; code: string; message: string };

export const lambdaClient = (config: { AWS_REGION: string }) =>
  new LambdaClient({ region: config.AWS_REGION });

export function invokeOcr(client: Pick<LambdaClient, 'send'>, functionName: string): OcrReader {
  return async (ref: ObjectRef) => {
    const out = await client.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'RequestResponse',
        Payload: new TextEncoder().encode(JSON.stringify(ref)),
      }),
    );
    const text = out.Payload ? new TextDecoder().decode(out.Payload) : '';
    if (out.FunctionError !== undefined) {
      throw new ExtractionError(
        'INTERNAL_ERROR',
        `文字识别（OCR）函数出错：${out.FunctionError} ${text.slice(0, 300)}`,
      );
    }
    let answer: OcrAnswer;
    try {
      answer = JSON.parse(text) as OcrAnswer;
    } catch {
      throw new ExtractionError('INTERNAL_ERROR', '文字识别（OCR）函数的回答无法解析');
    }
    if (answer.ok) return answer.document;
    throw new ExtractionError(
      isExtractionErrorCode(answer.code) ? answer.code : 'INTERNAL_ERROR',
      answer.message,
    );
  };
}
