import { PASSWORD_ENV } from './sign-in-client.ts';
import { escapeHtml as esc } from './web/escape.js';

/** What the login page shows: the form's target, the accounts to choose from, the last choice, an error. */
export interface LoginView {
  action?: string;
  accounts?: ReadonlyArray<{ id: string; name: string; kind: 'agency' | 'office' }>;
  chosen?: string;
  error?: string;
}

const KIND_LABEL = { agency: '报告机关', office: '监督机构（政务公开办）' } as const;

/**
 * The local provider's login page (local/oidc.ts), in Chinese: one account per registry entry, grouped
 * as agencies and supervising offices, and the run's password. Every value from the registry or the
 * request is escaped; the page has no script (its CSP allows none).
 */
export function loginPage(view: LoginView): string {
  const error = view.error ? `<p id="login-error" role="alert">${esc(view.error)}</p>` : '';
  const groups = (['agency', 'office'] as const)
    .map((kind) => {
      const options = (view.accounts ?? [])
        .filter((a) => a.kind === kind)
        .map(
          (a) =>
            `<option value="${esc(a.id)}"${a.id === view.chosen ? ' selected' : ''}>${esc(a.name)}（${esc(a.id)}）</option>`,
        )
        .join('');
      return options === '' ? '' : `<optgroup label="${esc(KIND_LABEL[kind])}">${options}</optgroup>`;
    })
    .join('');
  const form =
    view.action === undefined
      ? ''
      : `<form id="login" method="post" action="${esc(view.action)}">
<label for="account">账号</label>
<select id="account" name="account" required>${groups}</select>
<label for="password">口令</label>
<input id="password" name="password" type="password" required autocomplete="current-password">
<button id="login-submit" type="submit">登录</button>
</form>
<p class="hint">本地运行：口令为 <code>report-pipeline local --serve</code> 启动时打印的本次口令（或环境变量 <code>${PASSWORD_ENV}</code> 指定的口令）。</p>`;
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>登录 · 政府信息公开工作年度报告</title>
<style>
body { font-family: system-ui, "Noto Sans CJK SC", sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem; }
form { display: grid; gap: .5rem; }
select, input, button { font: inherit; padding: .4rem; }
#login-error { color: #a00; }
.hint { color: #555; font-size: .9em; }
</style>
</head>
<body>
<h1>登录</h1>
<p>以报告机关或监督机构的身份登录政府信息公开工作年度报告上传与校验。</p>
${error}${form}
</body>
</html>
`;
}
