/**
 * Web page furniture that saved and crawled reports carry around the report: the portal's toolbar before
 * the title (登录 注册, 无障碍, 长者模式, 字号 大 中 小) and its buttons after the last section (打印, 关闭,
 * 分享到). Only whole lines that are nothing but such furniture are dropped; text that merely mentions 打印
 * stays, and so do lines that carry facts (发布日期, 来源, the breadcrumb with the title in it: the report
 * stage reads or skips those).
 */
const SEPARATOR = String.raw`[-\s·•|｜/\\,，、:：>»【】\[\]（）()]`;
/** The type size buttons: 字体 or 字号, then 大 中 小 (in brackets or not), or 小 中 大 and 默认. */
const TYPE_SIZE = String.raw`字[体号](?:${SEPARATOR}*[大中小]|${SEPARATOR}*默认|${SEPARATOR}*[Aa][+-]?)+`;
/** Toolbar and button words of government portals. */
const BUTTON = [
  '打印(?:本页|此页|文章)?',
  '关闭(?:窗口|本页)?',
  '返回顶部',
  '返回(?:首页|上一页)?',
  '(?:收藏|保存)(?:本页)?',
  '分享到.*',
  '登录',
  '注册',
  '退出',
  '欢迎访问',
  '无障碍(?:阅读|浏览|模式)?',
  '长者模式',
  '关怀版',
  '适老化(?:服务)?',
  '繁體',
  '繁体',
  '简体',
  'English',
  '手机版',
  '网站地图',
  '扫一扫(?:在手机(?:上)?打开(?:当前页)?)?',
].join('|');
const CHROME_LINE = new RegExp(`^${SEPARATOR}*(?:(?:${TYPE_SIZE}|${BUTTON})${SEPARATOR}*)+$`);

export function isPageChrome(text: string): boolean {
  const t = text.trim();
  if (t === '') return false;
  // A lone dash is the bullet of a navigation list whose label was dropped.
  return /^[-—]$/.test(t) || /^[【[]\s*[】\]]$/.test(t) || CHROME_LINE.test(t);
}
