import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsCommand,
  type ListSubscriptionsCommandOutput,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  type ListTopicsCommandOutput,
  SetTopicAttributesCommand,
  type SNSClient,
  SubscribeCommand,
  TagResourceCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { mapConcurrently } from '../pipeline/concurrently.ts';
import type { ExistingSubscription, ExistingTopic, TopicAdmin, TopicChange } from '../pipeline/topic-sync.ts';

/**
 * The topic sync's SNS side. Listing costs, for N topics under the prefixes: ⌈all topics/100⌉ ListTopics,
 * ⌈all subscriptions/100⌉ ListSubscriptions (one account-wide listing rather than one call per topic,
 * which SNS throttles at 30 per second), and one GetTopicAttributes and one ListTagsForResource per topic,
 * `concurrency` at a time; the SDK's retries absorb throttling.
 */
export class SnsTopicAdmin implements TopicAdmin {
  readonly #sns: SNSClient;
  readonly #arnPrefix: string;
  readonly #concurrency: number;

  /** `arnPrefix` is `arn:{partition}:sns:{region}:{account}:`. */
  constructor(sns: SNSClient, arnPrefix: string, concurrency = 8) {
    this.#sns = sns;
    this.#arnPrefix = arnPrefix;
    this.#concurrency = concurrency;
  }

  arn(name: string): string {
    return `${this.#arnPrefix}${name}`;
  }

  async list(prefixes: readonly string[]): Promise<ExistingTopic[]> {
    const ours = (arn: string | undefined): arn is string =>
      arn?.startsWith(this.#arnPrefix) === true &&
      prefixes.some((p) => arn.slice(this.#arnPrefix.length).startsWith(p));
    const names: string[] = [];
    let token: string | undefined;
    do {
      const out: ListTopicsCommandOutput = await this.#sns.send(new ListTopicsCommand({ NextToken: token }));
      for (const t of out.Topics ?? []) {
        if (ours(t.TopicArn)) names.push(t.TopicArn.slice(this.#arnPrefix.length));
      }
      token = out.NextToken;
    } while (token !== undefined);

    const subscriptions = new Map<string, ExistingSubscription[]>();
    token = undefined;
    do {
      const out: ListSubscriptionsCommandOutput = await this.#sns.send(
        new ListSubscriptionsCommand({ NextToken: token }),
      );
      for (const s of out.Subscriptions ?? []) {
        if (!ours(s.TopicArn)) continue;
        const list = subscriptions.get(s.TopicArn) ?? [];
        list.push({
          protocol: s.Protocol ?? '',
          endpoint: s.Endpoint ?? '',
          subscriptionArn: s.SubscriptionArn ?? '',
        });
        subscriptions.set(s.TopicArn, list);
      }
      token = out.NextToken;
    } while (token !== undefined);

    const topics = await mapConcurrently(names, this.#concurrency, async (name): Promise<ExistingTopic> => {
      const arn = this.arn(name);
      const [attributes, tags] = await Promise.all([
        this.#sns.send(new GetTopicAttributesCommand({ TopicArn: arn })),
        this.#sns.send(new ListTagsForResourceCommand({ ResourceArn: arn })),
      ]);
      return {
        name,
        attributes: { ...attributes.Attributes },
        tags: Object.fromEntries((tags.Tags ?? []).map((t) => [t.Key, t.Value])),
        subscriptions: subscriptions.get(arn) ?? [],
      };
    });
    return topics.sort((a, b) => a.name.localeCompare(b.name));
  }

  async apply(change: TopicChange): Promise<void> {
    const TopicArn = this.arn(change.topic);
    const tags = (t: Record<string, string>) => Object.entries(t).map(([Key, Value]) => ({ Key, Value }));
    switch (change.kind) {
      case 'create':
        // CreateTopic is idempotent for a name with the same attributes and tags: a retry is harmless.
        await this.#sns.send(
          new CreateTopicCommand({
            Name: change.topic,
            Attributes: change.attributes,
            Tags: tags(change.tags),
          }),
        );
        return;
      case 'set-attribute':
        await this.#sns.send(
          new SetTopicAttributesCommand({
            TopicArn,
            AttributeName: change.name,
            AttributeValue: change.value,
          }),
        );
        return;
      case 'tag':
        await this.#sns.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: tags(change.tags) }));
        return;
      case 'subscribe':
        await this.#sns.send(
          new SubscribeCommand({ TopicArn, Protocol: change.protocol ?? 'email', Endpoint: change.endpoint }),
        );
        return;
      case 'unsubscribe':
        await this.#sns.send(new UnsubscribeCommand({ SubscriptionArn: change.subscriptionArn }));
        return;
      case 'delete':
        await this.#sns.send(new DeleteTopicCommand({ TopicArn }));
        return;
    }
  }
}
