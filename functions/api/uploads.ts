import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { REPORT_MIME_TYPES, REPORT_TYPE_LABELS } from '../pipeline/report-types.ts';
import { latestDecisions, reviewStatus } from '../pipeline/review.ts';
import type { ReviewStore } from '../pipeline/review-decision.ts';
import { distinctCodes } from '../report/index.ts';
import { REPORT_YEARS, reportYearOf } from './answer.ts';
import { type RecordReader, reviewedReport } from './reviewed-report.ts';
import {
  fileNameOfKey,
  keyForUploadId,
  reportIdFor,
  uploadIdFor,
  uploadKey,
  uploadPrefix,
} from './upload-keys.ts';

/** What an agency may upload, and for how long a pre-signed POST stays valid. */
export interface UploadPolicy {
  minBytes: number;
  maxBytes: number;
  contentTypes: readonly string[];
  /** ≤ 900 (15 minutes). */
  expiresSeconds: number;
}

export const DEFAULT_UPLOAD_POLICY: UploadPolicy = {
  minBytes: 1,
  maxBytes: 50 * 1024 * 1024,
  contentTypes: REPORT_MIME_TYPES,
  expiresSeconds: 600,
};

export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
}

/** The one thing the API needs from S3: a pre-signed POST with these conditions. */
export interface PostSigner {
  presignPost(request: {
    key: string;
    contentType: string;
    minBytes: number;
    maxBytes: number;
    expiresSeconds: number;
  }): Promise<PresignedPost>;
}

/** An uploaded object as the bucket lists it. */
export interface ListedUpload {
  key: string;
  /** When S3 received it (ISO 8601). */
  uploadedAt: string;
  size: number;
}

/** The bucket listing the API needs: the objects under one prefix (an agency's declared year). */
export interface UploadLister {
  list(prefix: string, max: number): Promise<ListedUpload[]>;
}

/** How many uploads of one agency and year GET /uploads returns, newest first. */
export const MAX_LISTED_UPLOADS = 100;

const Year = z.number().int().min(REPORT_YEARS.first).max(REPORT_YEARS.last);

export const CreateUploadRequest = z.strictObject({
  fileName: z.string().min(1).max(255),
  year: Year,
  contentType: z.string().min(1).max(200),
});

export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** POST /uploads: the caller's agency comes from its verified token, never from the request. */
export async function createUpload(
  agencyId: string,
  body: unknown,
  deps: { signer: PostSigner; policy: UploadPolicy; now?: () => Date; uuid?: () => string },
) {
  const parsed = CreateUploadRequest.safeParse(body);
  if (!parsed.success)
    throw new ApiError(
      400,
      `请求无效：${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    );
  const { fileName, year, contentType } = parsed.data;
  if (!deps.policy.contentTypes.includes(contentType)) {
    throw new ApiError(415, `不支持的文件类型 ${contentType}；可上传 ${REPORT_TYPE_LABELS}`);
  }
  const expiresSeconds = Math.min(deps.policy.expiresSeconds, 900);
  const key = uploadKey(agencyId, year, (deps.uuid ?? randomUUID)(), fileName);
  const post = await deps.signer.presignPost({
    key,
    contentType,
    minBytes: deps.policy.minBytes,
    maxBytes: deps.policy.maxBytes,
    expiresSeconds,
  });
  const expiresAt = new Date((deps.now?.() ?? new Date()).getTime() + expiresSeconds * 1000).toISOString();
  return { uploadId: uploadIdFor(key), key, ...post, expiresAt, maxBytes: deps.policy.maxBytes };
}

/**
 * GET /uploads/{id}: the record's status and issues, for the caller's own agency only, with the reviewers'
 * decisions: each issue's `fingerprint`, `review` and `history`, the `reviewStatus`, and `fixed`.
 */
export async function getUpload(
  agencyId: string,
  id: string,
  deps: { records: RecordReader; reviews: ReviewStore },
) {
  const key = keyForUploadId(agencyId, id);
  if (key === null) throw new ApiError(404, '未找到该上传');
  const record = await deps.records.current(key);
  if (record === null) return { uploadId: id, reportId: reportIdFor(key), key, status: 'PENDING' as const };
  const review = await reviewedReport(key, record, deps.reviews);
  return {
    uploadId: id,
    reportId: review.reportId,
    key,
    status: record.status,
    reviewStatus: review.reviewStatus,
    agency: record.agency,
    year: record.year,
    template: record.template,
    summary: record.summary,
    failure: record.failure,
    /** The record's issues, each with its `fingerprint`, `review` (latest decision or null) and `history`. */
    issues: review.issues,
    /** Confirmed findings of this agency-year that this record no longer has. */
    fixed: review.fixed,
    /** The whole record, for the report view (local/web/report-view.js) to draw the tables as read. */
    record,
  };
}

/**
 * GET /uploads?year=YYYY: the caller's own uploads for a declared year, newest first, each with its status
 * (PENDING while the pipeline works on it). Read by key: one bucket listing under the agency's prefix for
 * that year, then one record read per key; never a table scan.
 */
export async function listUploads(
  agencyId: string,
  yearParam: string | undefined,
  deps: { lister: UploadLister; records: RecordReader; reviews: ReviewStore },
) {
  const year = reportYearOf(yearParam);
  if (year === null) {
    throw new ApiError(400, `请求无效：year 应为 ${REPORT_YEARS.first}–${REPORT_YEARS.last} 的年份`);
  }
  const listed = await deps.lister.list(uploadPrefix(agencyId, year), 1000);
  const newest = listed
    .sort((a, b) => b.uploadedAt.localeCompare(a.uploadedAt) || a.key.localeCompare(b.key))
    .slice(0, MAX_LISTED_UPLOADS);
  // The year's decisions in one Query: each upload's review status reads from them.
  const [latest, records] = await Promise.all([
    deps.reviews.decisions(agencyId, year).then(latestDecisions),
    Promise.all(newest.map((object) => deps.records.current(object.key))),
  ]);
  const uploads = newest.map((object, i) => {
    const record = records[i] ?? null;
    return {
      uploadId: uploadIdFor(object.key),
      fileName: fileNameOfKey(object.key),
      uploadedAt: object.uploadedAt,
      size: object.size,
      status: record?.status ?? ('PENDING' as const),
      /** The supervisors' review of it (null while pending or for a FAILED record). */
      reviewStatus: record === null ? null : reviewStatus(record, latest),
      reportYear: record?.year ?? null,
      summary: record?.summary ?? null,
      codes: record === null ? [] : distinctCodes(record.issues),
    };
  });
  return { year, uploads, truncated: listed.length > newest.length };
}
