import { createHmac } from 'node:crypto';

/**
 * Group-robot messages of the three platforms supervisors read, from a notice (subject and Chinese
 * text). Domain code: no AWS, no network; functions/webhooks/deliver.ts posts what this builds.
 *
 * - 企业微信 (WeCom) group robot: `POST …/cgi-bin/webhook/send?key=KEY`, `{"msgtype":"markdown",
 *   "markdown":{"content":…}}`, content at most 4096 bytes of UTF-8; the key in the URL is the secret.
 * - 钉钉 (DingTalk) custom robot: `POST …/robot/send?access_token=…&timestamp=T&sign=S`, T in ms,
 *   S = urlEncode(base64(HmacSHA256(key = secret, message = T + "\n" + secret))); `{"msgtype":
 *   "markdown","markdown":{"title":…,"text":…}}`.
 * - 飞书 (Feishu/Lark) custom bot: `POST …/open-apis/bot/v2/hook/TOKEN`, the body carries `timestamp`
 *   (seconds) and `sign` = base64(HmacSHA256(key = T + "\n" + secret, message = "")); an interactive
 *   card with one markdown element; the request body at most 20 KB.
 */
export const ROBOTS = ['wecom', 'dingtalk', 'feishu'] as const;
export type Robot = (typeof ROBOTS)[number];

/** What the secret store holds for one webhook: the robot's URL (with its key or token) and its signing secret. */
export interface WebhookSecret {
  url: string;
  /** DingTalk's `SEC…` or Feishu's signing secret; WeCom has none (the key is in the URL). */
  secret?: string;
}

/** The port to where the webhook URLs and signing secrets are (Secrets Manager on AWS; a map locally). */
export interface WebhookSecrets {
  get(name: string): Promise<WebhookSecret>;
}

export interface RobotNotice {
  subject: string;
  message: string;
  /** An earlier attempt may have gone out: said in the message, so a reader can ignore a repeat. */
  possibleDuplicate?: boolean;
}

export interface RobotRequest {
  url: string;
  body: string;
}

/** Byte budgets of the markdown text (the platforms' limits with room for the JSON around it). */
export const TEXT_LIMITS: Record<Robot, number> = { wecom: 4096, dingtalk: 18_000, feishu: 18_000 };
const CUT = '\n\n……消息过长，以下从略，请查看完整记录。';

/** The text cut at a line boundary to fit `limit` bytes of UTF-8, saying that it was cut. */
export function fitBytes(text: string, limit: number): string {
  if (Buffer.byteLength(text) <= limit) return text;
  const budget = limit - Buffer.byteLength(CUT);
  const lines = text.split('\n');
  let out = '';
  for (const line of lines) {
    const next = out === '' ? line : `${out}\n${line}`;
    if (Buffer.byteLength(next) > budget) break;
    out = next;
  }
  // A single line longer than the budget: cut it by characters, never inside one.
  if (out === '')
    for (const ch of text) {
      if (Buffer.byteLength(out + ch) > budget) break;
      out += ch;
    }
  return out + CUT;
}

/** Markdown control characters in the notice's own text are shown as they are, not as formatting. */
const escapeMarkdown = (line: string) => line.replace(/([\\`*_[\]<>#|])/g, '\\$1');

/** The notice as markdown: the subject as a heading, one paragraph per line (DingTalk needs blank lines). */
export function noticeMarkdown(notice: RobotNotice, paragraphs: boolean): string {
  const lines = notice.message.split('\n').map((l) => l.trimEnd());
  const body = lines
    .map(escapeMarkdown)
    .join(paragraphs ? '\n\n' : '\n')
    .replace(/\n{3,}/g, '\n\n');
  const mark = notice.possibleDuplicate ? '（可能重复发送，请以首条为准）\n\n' : '';
  return `### ${escapeMarkdown(notice.subject)}\n\n${mark}${body}`;
}

export const dingtalkSign = (secret: string, timestampMs: number): string =>
  createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');

export const feishuSign = (secret: string, timestampSeconds: number): string =>
  createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');

/** The request one robot takes for the notice, signed where the robot asks for it. */
export function robotRequest(
  robot: Robot,
  hook: WebhookSecret,
  notice: RobotNotice,
  now: Date,
): RobotRequest {
  if (robot === 'wecom') {
    const content = fitBytes(noticeMarkdown(notice, false), TEXT_LIMITS.wecom);
    return { url: hook.url, body: JSON.stringify({ msgtype: 'markdown', markdown: { content } }) };
  }
  if (robot === 'dingtalk') {
    const text = fitBytes(noticeMarkdown(notice, true), TEXT_LIMITS.dingtalk);
    const body = JSON.stringify({ msgtype: 'markdown', markdown: { title: notice.subject, text } });
    if (hook.secret === undefined) return { url: hook.url, body };
    const timestamp = now.getTime();
    const url = new URL(hook.url);
    url.searchParams.set('timestamp', String(timestamp));
    url.searchParams.set('sign', dingtalkSign(hook.secret, timestamp));
    return { url: url.toString(), body };
  }
  const content = fitBytes(noticeMarkdown(notice, false), TEXT_LIMITS.feishu);
  const card = {
    msg_type: 'interactive',
    card: {
      header: { title: { tag: 'plain_text', content: notice.subject }, template: 'red' },
      elements: [{ tag: 'markdown', content }],
    },
  };
  if (hook.secret === undefined) return { url: hook.url, body: JSON.stringify(card) };
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    url: hook.url,
    body: JSON.stringify({ timestamp: String(timestamp), sign: feishuSign(hook.secret, timestamp), ...card }),
  };
}
