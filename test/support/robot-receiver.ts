import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A group-robot receiver on loopback that checks requests as the platforms do: DingTalk's `timestamp`
 * (ms, within an hour) and `sign` in the query, Feishu's `timestamp` (s) and `sign` in the body, WeCom's
 * key in the URL; it answers as they answer (`errcode`/`code`). A script of answers lets a test make it
 * fail (HTTP status) or hang before it answers.
 */
export interface Received {
  robot: 'wecom' | 'dingtalk' | 'feishu';
  url: URL;
  body: Record<string, unknown>;
}

export type Scripted = { status: number } | { hangMs: number } | 'ok';

export const SECRETS = {
  dingtalk: 'SEC0123456789abcdef',
  feishu: 'feishu-signing-secret',
  wecomKey: 'k-2b9c',
};

export async function startRobotReceiver(now: () => number = Date.now) {
  const received: Received[] = [];
  const script: Scripted[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const robot = url.pathname.startsWith('/robot/send')
        ? 'dingtalk'
        : url.pathname.startsWith('/open-apis/bot/v2/hook/')
          ? 'feishu'
          : 'wecom';
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      received.push({ robot, url, body });
      const step = script.shift() ?? 'ok';
      const answer = (status: number, json: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      if (step !== 'ok' && 'hangMs' in step) {
        setTimeout(() => answer(200, { errcode: 0 }), step.hangMs).unref();
        return;
      }
      if (step !== 'ok') return answer(step.status, { message: 'scripted failure' });
      if (robot === 'wecom') {
        return answer(
          200,
          url.searchParams.get('key') === SECRETS.wecomKey
            ? { errcode: 0, errmsg: 'ok' }
            : { errcode: 93000, errmsg: 'invalid webhook url' },
        );
      }
      if (robot === 'dingtalk') {
        const timestamp = Number(url.searchParams.get('timestamp'));
        const expected = createHmac('sha256', SECRETS.dingtalk)
          .update(`${timestamp}\n${SECRETS.dingtalk}`)
          .digest('base64');
        const fresh = Math.abs(now() - timestamp) < 3_600_000;
        return answer(
          200,
          fresh && url.searchParams.get('sign') === expected
            ? { errcode: 0, errmsg: 'ok' }
            : { errcode: 310000, errmsg: 'sign not match' },
        );
      }
      const timestamp = Number(body.timestamp);
      const expected = createHmac('sha256', `${timestamp}\n${SECRETS.feishu}`).update('').digest('base64');
      const fresh = Math.abs(now() / 1000 - timestamp) < 3600;
      return answer(
        200,
        fresh && body.sign === expected
          ? { code: 0, msg: 'success' }
          : { code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time' },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    received,
    script,
    urls: {
      wecom: `${base}/cgi-bin/webhook/send?key=${SECRETS.wecomKey}`,
      dingtalk: `${base}/robot/send?access_token=tok-1`,
      feishu: `${base}/open-apis/bot/v2/hook/hook-1`,
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
