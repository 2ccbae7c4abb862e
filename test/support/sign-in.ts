import { type SignInTarget, signIn } from '../../local/sign-in-client.ts';

/** The local provider's sign-in (local/sign-in-client.ts), for the tests. */
export { type SignInTarget, signIn, signInFlow } from '../../local/sign-in-client.ts';

/** Tokens by account, each signed in once per test file. */
export function tokens(target: () => SignInTarget): (account: string) => Promise<string> {
  const cache = new Map<string, Promise<string>>();
  return (account) => {
    let token = cache.get(account);
    if (token === undefined) {
      token = signIn(target(), account);
      cache.set(account, token);
    }
    return token;
  };
}
