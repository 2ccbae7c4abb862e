import { z } from 'zod';
import { messageOf } from '../extract/errors.ts';
import { type Robot, type RobotNotice, robotRequest, type WebhookSecret } from './robots.ts';

/**
 * Posting a robot message, and what its answer means. A timeout, a network error, a 5xx or a 429 is
 * transient; a robot's own refusal in a 200 answer (`errcode`/`code` not 0) is too when it is the
 * platform's rate limit (20 messages a minute per robot), and permanent otherwise (a wrong key or
 * signature, a malformed body): the caller retries the first kind and dead-letters after its limit.
 */
export type Delivery = { ok: true } | { ok: false; transient: boolean; reason: string };

/** The platforms' rate-limit codes (WeCom 45009, DingTalk 130101, Feishu 11232). */
const RATE_LIMITED = new Set([45009, 130101, 11232]);

/** A robot's JSON answer: WeCom and DingTalk say `errcode`/`errmsg`, Feishu `code`/`msg`. */
const RobotAnswer = z.object({
  errcode: z.unknown().optional(),
  code: z.unknown().optional(),
  errmsg: z.unknown().optional(),
  msg: z.unknown().optional(),
});
type RobotAnswer = z.infer<typeof RobotAnswer>;

export async function postRobot(
  robot: Robot,
  hook: WebhookSecret,
  notice: RobotNotice,
  options: { now?: Date; timeoutMs: number; fetch?: typeof fetch },
): Promise<Delivery> {
  const request = robotRequest(robot, hook, notice, options.now ?? new Date());
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(request.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: request.body,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    return {
      ok: false,
      transient: true,
      reason: timedOut ? `no answer in ${options.timeoutMs} ms` : messageOf(error),
    };
  }
  const text = await response.text().catch(() => '');
  if (response.status >= 500 || response.status === 429) {
    return { ok: false, transient: true, reason: `HTTP ${response.status}` };
  }
  if (!response.ok)
    return { ok: false, transient: false, reason: `HTTP ${response.status}: ${text.slice(0, 200)}` };
  let answer: RobotAnswer;
  try {
    answer = RobotAnswer.parse(JSON.parse(text));
  } catch {
    return { ok: false, transient: true, reason: `not a robot answer: ${text.slice(0, 200)}` };
  }
  const code = Number(answer.errcode ?? answer.code ?? 0);
  if (code === 0) return { ok: true };
  return {
    ok: false,
    transient: RATE_LIMITED.has(code),
    reason: `robot refused: ${code} ${String(answer.errmsg ?? answer.msg ?? '')}`.trim(),
  };
}
