/**
 * Web page furniture that flattened reports carry after their last section (字体 大 中 小, 打印, 关闭 …).
 * Only whole lines that are nothing but such furniture are dropped; text that merely mentions 打印 stays.
 */
const CHROME_LINE =
  /^[-\s·•|]*(?:【?\s*字体[:：]?\s*[【[]?\s*大\s*中\s*小\s*[】\]]?\s*】?|【?\s*(?:打印(?:本页|此页)?|关闭(?:窗口|本页)?|返回顶部|收藏本页|保存本页)\s*】?|分享到[:：]?.*|[【[]\s*[】\]])[-\s·•|]*$/;

export function isPageChrome(text: string): boolean {
  const t = text.trim();
  if (t === '') return false;
  // A lone dash is the bullet of a navigation list whose label was dropped.
  return /^[-—]$/.test(t) || CHROME_LINE.test(t);
}
