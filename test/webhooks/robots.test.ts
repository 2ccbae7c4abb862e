import { describe, expect, it } from 'vitest';
import {
  dingtalkSign,
  feishuSign,
  fitBytes,
  noticeMarkdown,
  robotRequest,
  TEXT_LIMITS,
} from '../../functions/webhooks/robots.ts';

const notice = {
  subject: '[年报校验] 淮安市人民政府 2024 校验未通过',
  message:
    '政府信息公开工作年度报告校验未通过\n\n文件：incoming/huaian-gov/2024/年报.pdf\n1. 表三 第1行：合计 12 ≠ 各项之和 13',
};
const now = new Date('2025-01-20T01:00:00.000Z');

describe('robot messages', () => {
  it('WeCom: a markdown message, the subject as a heading, the key left in the URL', () => {
    const r = robotRequest(
      'wecom',
      { url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K' },
      notice,
      now,
    );
    expect(r.url).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K');
    const body = JSON.parse(r.body);
    expect(body.msgtype).toBe('markdown');
    expect(body.markdown.content).toMatch(/^### \\\[年报校验\\\] 淮安市人民政府 2024 校验未通过\n\n/);
    expect(body.markdown.content).toContain('1. 表三 第1行：合计 12 ≠ 各项之和 13');
  });

  it('DingTalk: title and text, paragraphs split by blank lines, timestamp (ms) and sign in the query', () => {
    const r = robotRequest(
      'dingtalk',
      { url: 'https://oapi.dingtalk.com/robot/send?access_token=T', secret: 'SECxyz' },
      notice,
      now,
    );
    const url = new URL(r.url);
    expect(url.searchParams.get('access_token')).toBe('T');
    expect(url.searchParams.get('timestamp')).toBe(String(now.getTime()));
    expect(url.searchParams.get('sign')).toBe(dingtalkSign('SECxyz', now.getTime()));
    // The documented example: HmacSHA256(key = secret, "timestamp\nsecret"), base64, then URL-encoded.
    expect(r.url).toContain(`sign=${encodeURIComponent(dingtalkSign('SECxyz', now.getTime()))}`);
    const body = JSON.parse(r.body);
    expect(body).toMatchObject({ msgtype: 'markdown', markdown: { title: notice.subject } });
    expect(body.markdown.text).toContain('校验未通过\n\n文件');
  });

  it('Feishu: an interactive card with one markdown element, timestamp (s) and sign in the body', () => {
    const r = robotRequest(
      'feishu',
      { url: 'https://open.feishu.cn/open-apis/bot/v2/hook/H', secret: 'S' },
      notice,
      now,
    );
    const body = JSON.parse(r.body);
    const seconds = Math.floor(now.getTime() / 1000);
    expect(body).toMatchObject({
      timestamp: String(seconds),
      sign: feishuSign('S', seconds),
      msg_type: 'interactive',
    });
    expect(body.card.elements).toEqual([{ tag: 'markdown', content: expect.stringContaining('表三') }]);
    // Feishu signs with "timestamp\nsecret" as the key and an empty message: not DingTalk's way round.
    expect(feishuSign('S', seconds)).not.toBe(dingtalkSign('S', seconds));
  });

  it('no secret, no signature: an unsigned robot gets the same message', () => {
    const r = robotRequest(
      'dingtalk',
      { url: 'https://oapi.dingtalk.com/robot/send?access_token=T' },
      notice,
      now,
    );
    expect(new URL(r.url).searchParams.has('sign')).toBe(false);
  });

  it("a long notice is cut at a line to the robot's limit and says so; a repeat says it may be one", () => {
    const long = {
      ...notice,
      message: Array.from({ length: 2000 }, (_, i) => `${i + 1}. 表二 第${i}行：数字不一致`).join('\n'),
    };
    const content = JSON.parse(robotRequest('wecom', { url: 'https://x/?key=K' }, long, now).body).markdown
      .content;
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(TEXT_LIMITS.wecom);
    expect(content).toMatch(/数字不一致\n\n……消息过长，以下从略，请查看完整记录。$/);
    expect(fitBytes('短', 100)).toBe('短');
    expect(noticeMarkdown({ ...notice, possibleDuplicate: true }, false)).toContain('可能重复发送');
  });
});
