import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { WebhookSecret, WebhookSecrets } from '../webhooks/robots.ts';

/**
 * Webhook secrets in Secrets Manager (available in both China regions: lib/china-availability.json),
 * each a JSON `{"url": …, "secret": …}` under the stack's prefix, read once per cold start and name.
 */
export class SecretsManagerWebhooks implements WebhookSecrets {
  readonly #client: SecretsManagerClient;
  readonly #prefix: string;
  readonly #cache = new Map<string, Promise<WebhookSecret>>();

  constructor(client: SecretsManagerClient, prefix: string) {
    this.#client = client;
    this.#prefix = prefix;
  }

  get(name: string): Promise<WebhookSecret> {
    let found = this.#cache.get(name);
    if (found === undefined) {
      found = this.#read(name);
      // A failed read is not kept: the retry reads again.
      found.catch(() => this.#cache.delete(name));
      this.#cache.set(name, found);
    }
    return found;
  }

  async #read(name: string): Promise<WebhookSecret> {
    const answer = await this.#client.send(new GetSecretValueCommand({ SecretId: `${this.#prefix}${name}` }));
    const value = JSON.parse(answer.SecretString ?? '{}') as Partial<WebhookSecret>;
    if (typeof value.url !== 'string' || !value.url.startsWith('https://')) {
      throw new Error(`secret ${this.#prefix}${name}: no https url`);
    }
    return { url: value.url, ...(typeof value.secret === 'string' ? { secret: value.secret } : {}) };
  }
}
