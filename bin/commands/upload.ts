import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import path from 'node:path';
import { z } from 'zod';
import { messageOf } from '../../functions/extract/index.ts';
import { REPORT_TYPES, reportTypeOf } from '../../functions/pipeline/report-types.ts';
import { errorsFirst, Issue, issueLine, ReportRecord, STATUS_NAMES } from '../../functions/report/index.ts';
import { PASSWORD_ENV, signInFlow } from '../../local/sign-in-client.ts';
import { parse, UsageError } from './options.ts';
import { Progress } from './progress.ts';

/** multipart/form-data for an S3 POST upload: the policy fields first, the file last. */
function multipart(fields: Record<string, string>, fileName: string, type: string, bytes: Uint8Array) {
  const boundary = `----report-pipeline-${Date.now().toString(16)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${encodeURIComponent(fileName)}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
  );
  parts.push(Buffer.from(bytes), Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** POSTs the form in 64 KB chunks, drawing a progress bar on a terminal. */
function postForm(url: string, body: Buffer, contentType: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      target,
      { method: 'POST', headers: { 'content-type': contentType, 'content-length': body.length } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    const progress = new Progress(body.length, { percent: true });
    const write = (from: number): void => {
      let offset = from;
      while (offset < body.length) {
        const end = Math.min(offset + 64 * 1024, body.length);
        const ok = req.write(body.subarray(offset, end));
        offset = end;
        progress.update(offset, '上传');
        if (!ok) {
          req.once('drain', () => write(offset));
          return;
        }
      }
      progress.clear();
      req.end();
    };
    write(0);
  });
}

/** The API's answers, checked where they come in (another deployment may answer otherwise). */
const CreatedUpload = z.object({
  url: z.string(),
  fields: z.record(z.string(), z.string()),
  uploadId: z.string(),
  key: z.string(),
});
// Loose: `--json` prints the API's answer whole; only what is read here is checked.
const UploadResult = z.looseObject({
  status: z.enum(['PENDING', 'VALID', 'INVALID', 'FAILED']),
  agency: z.string().nullish(),
  year: z.number().nullish(),
  template: ReportRecord.shape.template.optional(),
  // The API adds each finding's fingerprint and review to the record's issue.
  issues: z.array(Issue.loose()).optional(),
});
type UploadResult = z.infer<typeof UploadResult>;
const Refusal = z.object({ message: z.string() });

async function api(
  url: string,
  token: string,
  init: RequestInit = {},
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...(init.headers ?? {}),
    },
  });
  return { status: res.status, body: await res.json().catch(() => ({})) };
}

/**
 * An ID token from the local run's provider (`local --serve`): its issuer and client from the server's
 * config.json, the password from the environment, the sign-in as a browser makes it. A deployed stack's
 * identity provider has its own login page: there `--token` takes a token the pages got.
 */
async function signInLocally(apiUrl: string, account: string, password: string): Promise<string> {
  const config = LocalConfig.safeParse(
    await fetch(`${apiUrl}/config.json`).then(
      (r) => r.json(),
      () => null,
    ),
  );
  if (!config.success)
    throw new UsageError(`--sign-in works with the API of local --serve; ${apiUrl}/config.json is not its`);
  const out = await signInFlow({ url: apiUrl, ...config.data, password }, account);
  if ('idToken' in out) return out.idToken;
  throw new UsageError(
    out.status === 401 || out.status === 200
      ? `sign-in as ${account} refused: wrong password or no such agency or office`
      : `sign-in as ${account} failed (HTTP ${out.status}); for a deployed stack pass --token`,
  );
}

/** What --sign-in reads of config.json (functions/pages/site.ts PagesConfig). */
const LocalConfig = z.object({ issuer: z.url(), clientId: z.string().min(1) });

/**
 * `report-pipeline upload FILE --api URL (--token TOKEN | --sign-in ACCOUNT) [--year Y] [--json] [--wait-s N]`:
 * asks the API for a pre-signed POST, uploads, waits for the record and prints it. Exit 0 valid, 1 invalid,
 * 2 failed. `--sign-in` signs in to the local run's provider (password in REPORT_PIPELINE_LOCAL_PASSWORD).
 */
export async function uploadCommand(args: string[]): Promise<number> {
  let file: string;
  let apiUrl: string;
  let token: string;
  let year: number;
  let json: boolean;
  let waitSeconds: number;
  try {
    const { values, positionals } = parse(args, {
      api: { type: 'string' },
      token: { type: 'string' },
      'sign-in': { type: 'string' },
      year: { type: 'string' },
      json: { type: 'boolean' },
      'wait-s': { type: 'string' },
    });
    const [only, ...more] = positionals;
    if (only === undefined || more.length > 0) throw new UsageError('upload takes exactly one FILE');
    file = only;
    const signInAs = values['sign-in'];
    if (typeof values.api !== 'string' || (values.token === undefined) === (signInAs === undefined)) {
      throw new UsageError('upload needs --api URL and either --token TOKEN or --sign-in ACCOUNT');
    }
    apiUrl = values.api.replace(/\/+$/, '');
    if (signInAs !== undefined && process.env[PASSWORD_ENV] === undefined)
      throw new UsageError(
        `--sign-in takes the password from ${PASSWORD_ENV} (printed by local --serve at start)`,
      );
    token = values.token ?? '';
    if (signInAs !== undefined)
      token = await signInLocally(apiUrl, signInAs, process.env[PASSWORD_ENV] ?? '');
    const fromName = /20\d\d/.exec(path.basename(file))?.[0];
    year = Number(values.year ?? fromName ?? new Date().getFullYear() - 1);
    if (!Number.isInteger(year)) throw new UsageError('--year takes a year');
    json = values.json === true;
    waitSeconds = Number(values['wait-s'] ?? 180);
  } catch (error) {
    process.stderr.write(`report-pipeline upload: ${messageOf(error)}\n`);
    return 2;
  }
  const type = reportTypeOf(file)?.mime;
  if (type === undefined) {
    const labels = REPORT_TYPES.map((t) => t.label);
    const list = `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`;
    process.stderr.write(`report-pipeline upload: ${file}: only ${list} files are accepted\n`);
    return 2;
  }
  try {
    const bytes = await readFile(file);
    const created = await api(`${apiUrl}/uploads`, token, {
      method: 'POST',
      body: JSON.stringify({ fileName: path.basename(file), year, contentType: type }),
    });
    if (created.status !== 201) {
      const refusal = Refusal.safeParse(created.body);
      throw new Error(`API refused the upload (${created.status}): ${refusal.data?.message ?? ''}`);
    }
    const { url, fields, uploadId, key } = CreatedUpload.parse(created.body);
    const form = multipart(fields, path.basename(file), type, bytes);
    const stored = await postForm(url, form.body, form.contentType);
    if (stored >= 300) throw new Error(`storage refused the upload (HTTP ${stored})`);
    process.stderr.write(`uploaded as ${key}; waiting for the result…\n`);

    const deadline = Date.now() + waitSeconds * 1000;
    let result: UploadResult = { status: 'PENDING' };
    while (result.status === 'PENDING' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      result = UploadResult.parse((await api(`${apiUrl}/uploads/${uploadId}`, token)).body);
    }
    if (json) process.stdout.write(`${JSON.stringify({ file, uploadId, key, ...result })}\n`);
    else if (result.status === 'PENDING')
      process.stdout.write(`${file}\n  还在校验中（upload id ${uploadId}），请稍后查询\n`);
    else {
      const lines = [
        file,
        `  机关 ${result.agency ?? '（未识别）'}  年度 ${result.year ?? '（未识别）'}  状态 ${STATUS_NAMES[result.status]} ${result.status}`,
        ...errorsFirst(result.issues ?? []).map(
          (i) => `  ${issueLine(i, result.template ?? null, 'terminal')}`,
        ),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return result.status === 'VALID' ? 0 : result.status === 'INVALID' ? 1 : 2;
  } catch (error) {
    process.stderr.write(`report-pipeline upload: ${messageOf(error)}\n`);
    return 2;
  }
}
